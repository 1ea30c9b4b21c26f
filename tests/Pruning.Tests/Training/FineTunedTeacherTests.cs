using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>Teachers fine-tuned elsewhere: tiny Hugging Face BertForSequenceClassification / BertForQuestionAnswering folders written here.</summary>
public sealed class FineTunedTeacherTests : IDisposable
{
    private static readonly TextTask Mnli = new("mnli", ["entailment", "neutral", "contradiction"], [TaskMetric.Accuracy],
        [new TextExample("hello world", "it is great", 0)], new Dictionary<string, IReadOnlyList<TextExample>>(), ["Yes", "Maybe", "No"]);

    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    private string SequenceClassifier(string[]? id2label, int outputs = 3, string name = "teacher") =>
        TinyTeacherFolder.WriteSequenceClassifier(tiny, Path.Combine(work.Path, name), id2label, outputs);

    [Fact]
    public void Load_SequenceClassifier_ClassifiesThePoolersOutput_InTheTasksLabelOrderByName()
    {
        var folder = SequenceClassifier(["contradiction", "entailment", "neutral"]);

        using var teacher = FineTunedTeacher.Load(folder, Mnli);
        using var hidden = randn(2, 4, TinyBert.Config.HiddenSize);
        using var ids = zeros(2, 4, ScalarType.Int64);
        using var logits = teacher.Head.call(hidden, ids);

        // bias = [0, 1, 2] in the teacher's order (contradiction, entailment, neutral) → [1, 2, 0] in the task's.
        Assert.Equal([1f, 2f, 0f], teacher.Head.named_parameters().Single(p => p.name == "classifier.bias").parameter.data<float>().ToArray());
        // As BertForSequenceClassification computes them: the classifier reads the checkpoint's pooler, tanh(W·[CLS] + b).
        using var file = SafetensorsFile.Open(Path.Combine(folder, ModelFolder.WeightsFileName));
        Assert.Contains("bert.pooler.dense.weight", file.Entries.Keys);
        using var pooled = nn.functional.linear(hidden.select(1, 0), file.ReadFloat32("bert.pooler.dense.weight"), file.ReadFloat32("bert.pooler.dense.bias")).tanh();
        using var raw = nn.functional.linear(pooled, file.ReadFloat32("classifier.weight"), file.ReadFloat32("classifier.bias"));
        Assert.True(logits.allclose(raw.index_select(1, tensor(new long[] { 1, 2, 0 })), 1e-5, 1e-5));
    }

    [Fact]
    public void LabelOrder_UnnamedTeacherLabels_AskForTeacherLabelsAndFollowThemWhenGiven()
    {
        var folder = ModelFolder.Open(SequenceClassifier(id2label: null));

        var error = Assert.Throws<ArgumentException>(() => FineTunedTeacher.LabelOrder(folder, Mnli, 3, null));

        Assert.Contains("LABEL_0, LABEL_1, LABEL_2", error.Message);
        Assert.Contains("distillation.teacher_labels", error.Message);
        Assert.Equal([1, 2, 0], FineTunedTeacher.LabelOrder(folder, Mnli, 3, ["LABEL_1", "2", "0"]));
        Assert.Contains("is not one of the teacher's labels", Assert.Throws<ArgumentException>(() => FineTunedTeacher.LabelOrder(folder, Mnli, 3, ["LABEL_1", "7", "0"])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => FineTunedTeacher.LabelOrder(folder, Mnli, 3, ["1", "1", "0"])).Message);
    }

    [Fact]
    public void Load_WrongOutputCountOrNoClassifier_IsAClearError()
    {
        var two = SequenceClassifier(["a", "b"], outputs: 2, name: "two");

        Assert.Contains("has 2 outputs", Assert.Throws<ModelFormatException>(() => FineTunedTeacher.Load(two, Mnli)).Message);
        Assert.Contains("BertForSequenceClassification", Assert.Throws<ModelFormatException>(() => FineTunedTeacher.Load(tiny.Directory, Mnli)).Message);
        Assert.Contains("BertForQuestionAnswering", Assert.Throws<ModelFormatException>(() => FineTunedTeacher.Load(two, new SquadTask([], []))).Message);
    }

    [Fact]
    public void Load_ClassifierOfAShapeNoLinearLayerHas_NamesTheShapes()
    {
        var folder = SequenceClassifier(["entailment", "neutral", "contradiction"], name: "scalar");
        var path = Path.Combine(folder, ModelFolder.WeightsFileName);
        Dictionary<string, Tensor> tensors;
        using (var file = SafetensorsFile.Open(path))
            tensors = file.Entries.Keys.ToDictionary(n => n, file.ReadFloat32);
        tensors["classifier.weight"] = tensor(1f); // shape []
        SafetensorsFile.Write(path, tensors);

        var error = Assert.Throws<ModelFormatException>(() => FineTunedTeacher.Load(folder, Mnli));

        Assert.Contains("classifier.weight has shape []", error.Message);
    }

    [Fact]
    public void Load_QuestionAnsweringCheckpoint_GivesALinearSpanHeadWithItsQaOutputs()
    {
        var folder = SequenceClassifier(null, outputs: 2, name: "qa");
        var path = Path.Combine(folder, ModelFolder.WeightsFileName);
        Dictionary<string, Tensor> tensors;
        using (var file = SafetensorsFile.Open(path))
            tensors = file.Entries.Keys.ToDictionary(n => n.Replace("classifier.", "qa_outputs."), file.ReadFloat32);
        SafetensorsFile.Write(path, tensors);

        using var teacher = FineTunedTeacher.Load(folder, new SquadTask([], []));

        Assert.IsType<LinearSpanHead>(teacher.Head);
        var bias = teacher.Head.named_parameters().Single(p => p.name == "qa_outputs.bias").parameter;
        Assert.Equal([0f, 1f], bias.data<float>().ToArray());
    }

    [Fact]
    public void Trial_DistilledFromAHuggingFaceTeacherFolder_Trains()
    {
        var spam = TinyTasks.Spam(16);
        var folder = SequenceClassifier(["spam", "ham"], outputs: 2);
        var config = new TrialConfig
        {
            Task = spam.Name, Model = tiny.Directory, Method = PruningMethod.SmpLocal, Epochs = 1, BatchSize = 8, MaxLength = 16,
            Distillation = new DistillationSettings(folder),
        };

        var result = new TrialTrainer(config, spam, tiny.Folder, Path.Combine(work.Path, "student"), new SweepsCache(work.Path)).Run();

        Assert.Equal(4, result.Steps);
        Assert.All(result.LossCurve, p => Assert.True(double.IsFinite(p.Loss)));
    }
}
