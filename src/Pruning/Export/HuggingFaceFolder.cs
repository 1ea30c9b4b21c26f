using System.Runtime.InteropServices;
using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Export;

/// <summary>
/// Writes an exported trial as a Hugging Face folder that <c>transformers</c> loads with no code of ours: config.json,
/// model.safetensors, the base model's tokenizer files, label_words.json for a label-word head, and README.md.
/// </summary>
public static class HuggingFaceFolder
{
    // Copied from the base model's folder where present: what BertTokenizer / BertTokenizerFast read.
    private static readonly string[] TokenizerFiles =
        [ModelFolder.VocabFileName, ModelFolder.TokenizerConfigFileName, "tokenizer.json", "special_tokens_map.json"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(ExportedTrial trial, ExportRequest request, string folder)
    {
        File.WriteAllText(Path.Combine(folder, ModelFolder.ConfigFileName),
            HuggingFaceConfig.Of(trial, request.DType.TorchDType()).ToJsonString(Indented));
        WriteWeights(trial, request.DType, Path.Combine(folder, ModelFolder.WeightsFileName));
        CopyTokenizer(trial, folder);
        LabelWords.WriteTo(trial, folder);
        File.WriteAllText(Path.Combine(folder, ModelCard.FileName), ModelCard.Of(trial, request));
    }

    /// <summary>Copies the base model's tokenizer files that exist.</summary>
    public static void CopyTokenizer(ExportedTrial trial, string folder)
    {
        foreach (var name in TokenizerFiles)
        {
            var source = Path.Combine(trial.ModelFolder.Path, name);
            if (File.Exists(source)) File.Copy(source, Path.Combine(folder, name));
        }
    }

    private static void WriteWeights(ExportedTrial trial, ExportPrecision precision, string path)
    {
        var tensors = ExportedWeights.Of(trial, poolerClass: true, precision);
        try
        {
            // "format": "pt" is what transformers checks to read the file as PyTorch weights.
            SafetensorsFile.Write(path, tensors.Select(t => Blob(t.Name, t.Value, precision)), new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var (_, value) in tensors) value.Dispose();
        }
    }

    private static SafetensorsBlob Blob(string name, Tensor value, ExportPrecision precision)
    {
        if (precision == ExportPrecision.Fp32) return SafetensorsBlob.FromFloat32(name, value);
        var values = value.data<float>().ToArray();
        var halves = precision == ExportPrecision.Fp16
            ? values.Select(v => BitConverter.HalfToUInt16Bits((Half)v)).ToArray()
            : values.Select(ToBFloat16).ToArray();
        return new SafetensorsBlob(name, precision.SafetensorsDType(), value.shape, MemoryMarshal.AsBytes(halves.AsSpan()).ToArray());
    }

    // The upper 16 bits of a float32, rounded to nearest even (as torch rounds); NaN stays NaN.
    private static ushort ToBFloat16(float value)
    {
        if (float.IsNaN(value)) return 0x7FC0;
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
