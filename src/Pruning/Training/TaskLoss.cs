using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>The supervised loss (cross-entropy, or MSE for regression) and the distillation objective.</summary>
public static class TaskLoss
{
    /// <param name="labels">Class indices (classification) or targets (regression), float.</param>
    public static Tensor Supervised(Tensor logits, Tensor labels, bool regression) => regression
        ? nn.functional.mse_loss(logits.select(1, 0), labels)
        : nn.functional.cross_entropy(logits, labels.to(ScalarType.Int64));

    /// <summary>
    /// α_kd · KL(softmax(z_t/T) ‖ softmax(z_s/T)) · T² + α_ce · CE, the KL averaged over the batch. For regression (STS-B)
    /// the term is what the reference computes: the same KL over the model's single output, where both softmaxes are 1
    /// and the KL is 0, so the loss is α_ce · MSE.
    /// </summary>
    public static Tensor Distilled(Tensor student, Tensor teacher, Tensor labels, DistillationSettings settings, bool regression)
    {
        using var scope = NewDisposeScope();
        var supervised = Supervised(student, labels, regression);
        var t = settings.Temperature;
        var teacherProbabilities = (teacher / t).softmax(-1);
        var kl = (teacherProbabilities * ((teacher / t).log_softmax(-1) - (student / t).log_softmax(-1))).sum(-1).mean();
        var soft = kl * (t * t);
        return (soft * settings.AlphaKd + supervised * settings.AlphaCe).MoveToOuterDisposeScope();
    }
}
