using Sweeps.Artifacts;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>A labelled text task: one input per example, cross-entropy (or MSE) on the label, accuracy-style metrics.</summary>
public sealed class ClassificationObjective : TrialObjective
{
    private readonly TextTask task;
    private readonly BertTextEncoder encoder;
    private readonly TrialConfig config;
    private readonly IReadOnlyList<TextExample> train;
    private Tensor? teacherLogits;

    public ClassificationObjective(TextTask task, BertTextEncoder encoder, TrialConfig config)
    {
        this.task = task;
        this.encoder = encoder;
        this.config = config;
        train = config.TrainLimit is { } limit ? task.Train.Take(limit).ToList() : task.Train;
        TrainInputs = train.Select(e => encoder.Encode(e.TextA, e.TextB, config.MaxLength)).ToList();
    }

    public override IReadOnlyList<EncodedText> TrainInputs { get; }

    public override ClassifierHead CreateHead(PretrainedBert model, ClassifierMode mode, string modelName) => mode switch
    {
        ClassifierMode.MaskedLmHead => LabelWordHead.For(model, encoder, task.LabelWords, modelName),
        _ => LinearClassifierHead.Create(model, task.OutputCount, config.UsesPooler(), config.HeadInitialStd()),
    };

    public override void PrepareTeacher(TrainedModel teacher, Device device, CancellationToken cancellation)
    {
        var batcher = new TextBatcher(teacher.Encoder, config.MaxLength, config.BatchSize * 2);
        var rows = TrialEvaluator.Logits(teacher.Model, teacher.Head, batcher, train, device, cancellation);
        if (rows.Count > 0 && rows[0].Length != task.OutputCount)
            throw new ArgumentException($"the teacher has {rows[0].Length} outputs, task '{task.Name}' needs {task.OutputCount}");
        teacherLogits = tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, task.OutputCount]);
    }

    public override Tensor Loss(Tensor logits, TokenBatch batch, int[] indices, DistillationSettings? distillation)
    {
        using var scope = NewDisposeScope();
        var labels = tensor(indices.Select(i => train[i].Label).ToArray(), device: logits.device);
        var loss = teacherLogits is null || distillation is null
            ? TaskLoss.Supervised(logits, labels, task.IsRegression)
            : TaskLoss.Distilled(logits, teacherLogits.index_select(0, tensor(indices.Select(i => (long)i).ToArray())).to(logits.device),
                labels, distillation, task.IsRegression);
        return loss.MoveToOuterDisposeScope();
    }

    public override DevEvaluation Evaluate(PretrainedBert model, ClassifierHead head, Device device, int? maxExamples, CancellationToken cancellation) =>
        TrialEvaluator.Evaluate(model, head, task, new TextBatcher(encoder, config.MaxLength, config.BatchSize * 2), device, maxExamples, cancellation);

    public override void Dispose()
    {
        teacherLogits?.Dispose();
        base.Dispose();
    }
}
