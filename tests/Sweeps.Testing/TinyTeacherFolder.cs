using System.Text.Json.Nodes;
using Sweeps.Pruning.Checkpoints;
using static TorchSharp.torch;

namespace Sweeps.Testing;

/// <summary>
/// A tiny BERT saved as Hugging Face's <c>BertForSequenceClassification</c>: its tensors under <c>bert.*</c>, a random
/// <c>classifier.weight</c> and a bias of 0, 1, 2 … (so tests can tell the output order), and, when given, the label
/// names in config.json's <c>id2label</c>.
/// </summary>
public static class TinyTeacherFolder
{
    public static string WriteSequenceClassifier(TinyBert tiny, string folder, string[]? id2label, int outputs = 3, long seed = 5)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(tiny.Directory)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        var weights = Path.Combine(folder, ModelFolder.WeightsFileName);
        Dictionary<string, Tensor> tensors;
        using (var file = SafetensorsFile.Open(weights))
            tensors = file.Entries.Keys.ToDictionary(n => n.StartsWith("bert.", StringComparison.Ordinal) ? n : "bert." + n, file.ReadFloat32);
        manual_seed(seed);
        tensors["classifier.weight"] = randn(outputs, TinyBert.Config.HiddenSize);
        tensors["classifier.bias"] = arange(outputs, dtype: ScalarType.Float32);
        SafetensorsFile.Write(weights, tensors);
        if (id2label is not null)
        {
            var configPath = Path.Combine(folder, ModelFolder.ConfigFileName);
            var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
            config["id2label"] = new JsonObject(id2label.Select((l, i) => KeyValuePair.Create(i.ToString(), (JsonNode?)l)));
            File.WriteAllText(configPath, config.ToJsonString());
        }
        return folder;
    }
}
