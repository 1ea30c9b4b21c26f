using System.Text.Json.Nodes;
using Sweeps.Pruning.Inputs;

namespace Sweeps.Pruning.Export;

/// <summary>
/// config.json of an exported model: the base model's own config (every key it has is kept) with the class in
/// <c>architectures</c> and, for a sequence classifier, its labels as <c>id2label</c> / <c>label2id</c>.
/// </summary>
public static class HuggingFaceConfig
{
    public static JsonObject Of(ExportedTrial trial, string torchDtype)
    {
        var text = InputFile.ReadAllText(trial.ModelFolder.ConfigPath, InputFile.JsonConfigBytes, "a model's config.json");
        var config = JsonNode.Parse(text)!.AsObject();
        config["architectures"] = new JsonArray(trial.Architecture.ClassName());
        config["model_type"] = "bert";
        config["torch_dtype"] = torchDtype;
        if (trial.Architecture == ExportArchitecture.SequenceClassification)
        {
            var outputs = int.Parse(trial.Metadata["outputs"]);
            var labels = trial.Labels.Count == outputs ? trial.Labels : Enumerable.Range(0, outputs).Select(i => $"LABEL_{i}").ToList();
            var id2label = new JsonObject();
            var label2id = new JsonObject();
            for (var i = 0; i < labels.Count; i++)
            {
                id2label[i.ToString()] = labels[i];
                label2id[labels[i]] = i;
            }
            config["id2label"] = id2label;
            config["label2id"] = label2id;
            // One output is a regression (STS-B's similarity); transformers infers the loss from this key.
            config["problem_type"] = outputs == 1 ? "regression" : "single_label_classification";
        }
        return config;
    }
}
