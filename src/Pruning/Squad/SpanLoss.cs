using Sweeps.Pruning.Training;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Squad;

/// <summary>The span losses: the mean of the start and end cross-entropies, and its distillation counterpart.</summary>
public static class SpanLoss
{
    /// <param name="logits">[batch, tokens, 2] start and end logits.</param>
    /// <param name="starts">Start token per example (0, [CLS], when the answer is outside the window).</param>
    /// <param name="ends">End token per example.</param>
    public static Tensor Supervised(Tensor logits, Tensor starts, Tensor ends)
    {
        using var scope = NewDisposeScope();
        var start = nn.functional.cross_entropy(SpanHead.Start(logits), starts.to(ScalarType.Int64));
        var end = nn.functional.cross_entropy(SpanHead.End(logits), ends.to(ScalarType.Int64));
        return ((start + end) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// α_kd · T² · (KL_start + KL_end) / 2 + α_ce · the supervised loss, each KL between the teacher's and the student's
    /// softened distributions over the window's tokens, averaged over the batch.
    /// </summary>
    public static Tensor Distilled(Tensor student, Tensor teacher, Tensor starts, Tensor ends, DistillationSettings settings)
    {
        using var scope = NewDisposeScope();
        var t = settings.Temperature;
        Tensor Kl(Tensor s, Tensor z)
        {
            var teacherLog = (z / t).log_softmax(-1);
            return (teacherLog.exp() * (teacherLog - (s / t).log_softmax(-1))).sum(-1).mean();
        }
        var soft = (Kl(SpanHead.Start(student), SpanHead.Start(teacher)) + Kl(SpanHead.End(student), SpanHead.End(teacher))) / 2 * (t * t);
        return (soft * settings.AlphaKd + Supervised(student, starts, ends) * settings.AlphaCe).MoveToOuterDisposeScope();
    }
}
