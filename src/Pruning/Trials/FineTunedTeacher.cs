using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// A teacher fine-tuned elsewhere, as a Hugging Face folder: <c>BertForSequenceClassification</c> (its
/// <c>classifier.*</c>) for a text task, <c>BertForQuestionAnswering</c> (its <c>qa_outputs.*</c>) for SQuAD. A
/// classifier's outputs are reordered into the task's label order: by the names in config.json's <c>id2label</c>, or
/// by <c>teacherLabels</c> (each the teacher's label name or output index, in the task's label order).
/// </summary>
public static class FineTunedTeacher
{
    private const string Classifier = "classifier.", QaOutputs = "qa_outputs.";

    public static TrainedModel Load(string folder, ITrialTask task, IReadOnlyList<string>? teacherLabels = null)
    {
        var modelFolder = ModelFolder.Open(folder);
        string[] heads;
        using (var file = SafetensorsFile.Open(modelFolder.WeightsPath))
            heads = file.Entries.Keys.Where(n => n.StartsWith(Classifier, StringComparison.Ordinal) || n.StartsWith(QaOutputs, StringComparison.Ordinal)).ToArray();
        var (model, _) = BertCheckpointLoader.Load(modelFolder);
        try
        {
            var encoder = BertTextEncoder.Load(modelFolder);
            ClassifierHead head = task switch
            {
                SquadTask when heads.Contains(QaOutputs + "weight") => SpanHead(modelFolder, model),
                TextTask text when heads.Contains(Classifier + "weight") => ClassifierHead(modelFolder, model, text, teacherLabels),
                SquadTask => throw new ModelFormatException(modelFolder.WeightsPath, "a SQuAD teacher needs qa_outputs.weight and .bias (a BertForQuestionAnswering checkpoint)"),
                _ => throw new ModelFormatException(modelFolder.WeightsPath, "a classification teacher needs classifier.weight and .bias (a BertForSequenceClassification checkpoint)"),
            };
            head.eval();
            return new TrainedModel(model, head, encoder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static LinearSpanHead SpanHead(ModelFolder folder, PretrainedBert model)
    {
        var head = new LinearSpanHead(model.Config.HiddenSize);
        Copy(folder, head, rowOrder: null);
        return head;
    }

    private static LinearClassifierHead ClassifierHead(ModelFolder folder, PretrainedBert model, TextTask task, IReadOnlyList<string>? teacherLabels)
    {
        int outputs;
        using (var file = SafetensorsFile.Open(folder.WeightsPath))
        {
            // [outputs, hidden] and [outputs]: anything else (a scalar, a transposed matrix) is named here, not met as an index error.
            var weight = file.Entries[Classifier + "weight"].Shape;
            var bias = file.Entries.GetValueOrDefault(Classifier + "bias")?.Shape;
            if (weight.Length != 2 || weight[1] != model.Config.HiddenSize || weight[0] < 1 || bias is null || bias.Length != 1 || bias[0] != weight[0])
                throw new ModelFormatException(folder.WeightsPath,
                    $"classifier.weight has shape [{string.Join(", ", weight)}] and classifier.bias [{(bias is null ? "missing" : string.Join(", ", bias))}]; " +
                    $"expected [outputs, {model.Config.HiddenSize}] and [outputs]");
            outputs = (int)weight[0];
        }
        if (outputs != task.OutputCount)
            throw new ModelFormatException(folder.WeightsPath, $"the teacher has {outputs} outputs (classifier.weight), task '{task.Name}' needs {task.OutputCount}");
        var order = LabelOrder(folder, task, outputs, teacherLabels);
        // BertForSequenceClassification classifies the pooler's output: the checkpoint's pooler, where it has one (ours
        // export a near-identity one, with the classifier scaled to match), comes with the model.
        var head = LinearClassifierHead.Create(model, outputs, pooler: model.PoolerLoaded, initStd: 0);
        Copy(folder, head, order, only: Classifier);
        return head;
    }

    /// <summary>For each of the task's labels, the teacher output that scores it.</summary>
    public static int[] LabelOrder(ModelFolder folder, TextTask task, int outputs, IReadOnlyList<string>? teacherLabels)
    {
        var names = TeacherLabelNames(folder.ConfigPath, outputs);
        int Find(string label) =>
            int.TryParse(label, out var index) && index >= 0 && index < outputs ? index
            : Array.FindIndex(names, n => string.Equals(n, label, StringComparison.OrdinalIgnoreCase));
        if (task.IsRegression) return [0];
        if (teacherLabels is not null)
        {
            if (teacherLabels.Count != task.LabelNames.Count)
                throw new ArgumentException($"teacher_labels lists {teacherLabels.Count} labels, task '{task.Name}' has {task.LabelNames.Count} ({string.Join(", ", task.LabelNames)})");
            var order = teacherLabels.Select(Find).ToArray();
            var unknown = teacherLabels.Where((l, i) => order[i] < 0).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"teacher_labels: {string.Join(", ", unknown)} is not one of the teacher's labels ({string.Join(", ", names)}) or an output index below {outputs}");
            if (order.Distinct().Count() != order.Length) throw new ArgumentException("teacher_labels names one teacher output twice");
            return order;
        }
        var byName = task.LabelNames.Select(Find).ToArray();
        if (byName.Any(i => i < 0) || byName.Distinct().Count() != byName.Length)
            throw new ArgumentException(
                $"the teacher's labels ({string.Join(", ", names)}, from {folder.ConfigPath}) do not name task '{task.Name}''s labels " +
                $"({string.Join(", ", task.LabelNames)}); list the teacher's label for each of them, in that order, as distillation.teacher_labels");
        return byName;
    }

    // config.json's id2label ({"0": "entailment", ...}); Hugging Face writes LABEL_0 … where the trainer named none.
    private static string[] TeacherLabelNames(string configPath, int outputs)
    {
        var names = Enumerable.Range(0, outputs).Select(i => $"LABEL_{i}").ToArray();
        using var document = JsonDocument.Parse(InputFile.ReadAllText(configPath, InputFile.JsonConfigBytes, "a model's config.json"));
        if (document.RootElement.TryGetProperty("id2label", out var map) && map.ValueKind == JsonValueKind.Object)
            foreach (var entry in map.EnumerateObject())
                if (int.TryParse(entry.Name, out var id) && id >= 0 && id < outputs && entry.Value.ValueKind == JsonValueKind.String)
                    names[id] = entry.Value.GetString()!;
        return names;
    }

    /// <summary>
    /// Copies the head's tensors from the checkpoint (same names; those starting with <paramref name="only"/> where
    /// given), taking output rows in <paramref name="rowOrder"/> when given.
    /// </summary>
    private static void Copy(ModelFolder folder, ClassifierHead head, int[]? rowOrder, string? only = null)
    {
        using var file = SafetensorsFile.Open(folder.WeightsPath);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in head.named_parameters())
        {
            if (only is not null && !name.StartsWith(only, StringComparison.Ordinal)) continue;
            if (!file.Entries.TryGetValue(name, out var entry) || !entry.Shape.SequenceEqual(parameter.shape))
                throw new ModelFormatException(folder.WeightsPath, $"expected tensor '{name}' of shape [{string.Join(", ", parameter.shape)}]");
            var value = file.ReadFiniteFloat32(name);
            parameter.copy_(rowOrder is null ? value : value.index_select(0, tensor(rowOrder.Select(i => (long)i).ToArray())));
        }
    }
}
