using Google.Protobuf;

namespace Sweeps.Pruning.Export;

/// <summary>
/// Writes an exported trial for ONNX Runtime: model.onnx (one graph, <see cref="OnnxBertGraph"/>), the tokenizer files
/// to make its inputs, label_words.json for a label-word head, and README.md.
/// </summary>
public static class OnnxFolder
{
    public static void Write(ExportedTrial trial, ExportRequest request, string folder)
    {
        var model = OnnxBertGraph.Build(trial);
        using (var output = File.Create(Path.Combine(folder, TrialExporter.OnnxFileName))) model.WriteTo(output);
        HuggingFaceFolder.CopyTokenizer(trial, folder);
        LabelWords.WriteTo(trial, folder);
        File.WriteAllText(Path.Combine(folder, ModelCard.FileName), ModelCard.Of(trial, request));
    }
}
