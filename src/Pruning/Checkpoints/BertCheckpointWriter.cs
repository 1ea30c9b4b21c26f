using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>
/// Saves a <see cref="PretrainedBert"/> as a Hugging Face folder: BertModel names (<c>embeddings.*</c>) when it has no
/// masked-LM head, BertForMaskedLM names (<c>bert.*</c>, <c>cls.predictions.*</c>) when it has one. Importance scores
/// are training state, not weights, and are not written.
/// </summary>
public static class BertCheckpointWriter
{
    public static ModelFolder Save(PretrainedBert model, string destination, IEnumerable<string> vocabulary, bool lowerCase = true)
    {
        Directory.CreateDirectory(destination);
        model.Config.Save(Path.Combine(destination, ModelFolder.ConfigFileName));
        var keepPrefix = model.MaskedLmHead is not null;
        var tensors = model.named_parameters().Where(p => !p.name.EndsWith(".scores", StringComparison.Ordinal)).ToDictionary(
            p => keepPrefix || !p.name.StartsWith("bert.", StringComparison.Ordinal) ? p.name : p.name["bert.".Length..],
            p => (TorchSharp.torch.Tensor)p.parameter);
        SafetensorsFile.Write(Path.Combine(destination, ModelFolder.WeightsFileName), tensors,
            new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllLines(Path.Combine(destination, ModelFolder.VocabFileName), vocabulary);
        File.WriteAllText(Path.Combine(destination, ModelFolder.TokenizerConfigFileName),
            $"{{\"do_lower_case\": {(lowerCase ? "true" : "false")}}}");
        return ModelFolder.Open(destination);
    }
}
