using Sweeps.Artifacts;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>
/// The task-specific half of a trial: the training inputs and their targets, the head, the loss (with or without a
/// teacher) and the dev metrics. the trial trainer runs the rest — masks, schedules, optimiser, checkpoints —
/// the same way for every task.
/// </summary>
public abstract class TrialObjective : IDisposable
{
    /// <summary>The encoded training inputs; a step's batch is a list of indices into them.</summary>
    public abstract IReadOnlyList<EncodedText> TrainInputs { get; }

    public abstract ClassifierHead CreateHead(PretrainedBert model, ClassifierMode mode, string modelName);

    /// <summary>Runs the teacher over every training input once, before training, and keeps its logits.</summary>
    public abstract void PrepareTeacher(TrainedModel teacher, Device device, CancellationToken cancellation);

    /// <summary>The batch's loss: supervised, or distilled once <see cref="PrepareTeacher"/> has run.</summary>
    public abstract Tensor Loss(Tensor logits, TokenBatch batch, int[] indices, DistillationSettings? distillation);

    /// <summary>Dev metrics by name, in the task's order (the first is the primary one); the model is in evaluation mode.</summary>
    public abstract DevEvaluation Evaluate(PretrainedBert model, ClassifierHead head, Device device, int? maxExamples, CancellationToken cancellation);

    /// <summary>
    /// The metric that picks a trial's best evaluation, as the reference's <c>--metric_for_best_model</c>: the task's
    /// primary metric (accuracy, Matthews, Pearson; matched accuracy for MNLI), F1 for SQuAD. Higher is better.
    /// </summary>
    public virtual string SelectionMetric(DevEvaluation evaluation) => evaluation.Metrics.Keys.First();

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
