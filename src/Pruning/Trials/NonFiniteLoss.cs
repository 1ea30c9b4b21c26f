using System.Globalization;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// Says why a training step's loss is not finite, checking the values in the order the step computed them: the
/// weights it read (weights the model was loaded with were checked at load, so a non-finite one was made so by
/// training or by the precision's range), then the logits, then the distillation term, then the task's own loss; and
/// names the settings that bear on that cause, with their values, rather than one fixed hint.
/// </summary>
public static class NonFiniteLoss
{
    public static string Explain(double loss, int step, TrialSession session, TrialConfig config, Tensor logits, Func<DistillationSettings?, Tensor> lossWith)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var what = $"the loss became {loss.ToString(CultureInfo.InvariantCulture)} at step {step}";
        var trained = session.Trained.Select(p => p.Handle).ToHashSet();
        var named = session.Model.named_parameters().Select(p => (Name: p.name, p.parameter, Part: "model"))
            .Concat(session.Head.named_parameters().Select(p => (Name: "head." + p.name, p.parameter, Part: "head")));
        foreach (var (name, parameter, part) in named)
        {
            if (IsFinite(parameter)) continue;
            if (!trained.Contains(parameter.Handle))
                return $"{what}: the frozen weight '{name}' is not finite ({Setting("precision", config.Precision.ToName())} cannot hold its values)";
            var rate = name.EndsWith("scores", StringComparison.Ordinal) ? Setting(TrialSettings.ScoreLearningRate.Key, config.ScoreLearningRate)
                : part == "head" ? Setting(TrialSettings.HeadLearningRate.Key, config.HeadLearningRate)
                : Setting(TrialSettings.WeightLearningRate.Key, config.WeightLearningRate);
            var regularizer = config.Method.UsesRegularizer() && name.EndsWith("scores", StringComparison.Ordinal)
                ? $", {Setting(TrialSettings.FinalLambda.Key, config.FinalLambda)}" : "";
            return $"{what}: training made the weight '{name}' not finite at an earlier step; lower {rate}{regularizer}, "
                + $"or clip harder ({Setting(TrialSettings.MaxGradNorm.Key, config.MaxGradNorm)}, 0 = no clipping)";
        }
        if (!IsFinite(logits))
            return $"{what}: the model's logits overflowed, though every weight is finite; "
                + $"lower {Setting(TrialSettings.HeadLearningRate.Key, config.HeadLearningRate)} or {Setting(TrialSettings.WeightLearningRate.Key, config.WeightLearningRate)}, "
                + $"or use {Setting("precision", "fp32")} (now {config.Precision.ToName()})";
        var largest = logits.abs().max().to_type(ScalarType.Float64).item<double>().ToString("G3", CultureInfo.InvariantCulture);
        if (config.Distillation is { } kd && IsFinite(lossWith(null)))
            return $"{what}: the distillation term is not finite, with finite logits (largest |logit| {largest}); "
                + $"{Setting(TrialSettings.DistillationTemperature.Key, kd.Temperature)} divides the student's and the teacher's logits, "
                + $"so a small one overflows their softmax; raise it (default {TrialSettings.DistillationTemperature.Value.ToString(CultureInfo.InvariantCulture)}) "
                + $"or lower {Setting(TrialSettings.AlphaKd.Key, kd.AlphaKd)}";
        return $"{what}: the task's own loss is not finite, with finite logits (largest |logit| {largest}); "
            + $"lower {Setting(TrialSettings.HeadLearningRate.Key, config.HeadLearningRate)}";
    }

    private static bool IsFinite(Tensor value) => value.isfinite().all().item<bool>();

    private static string Setting(string key, double value) => Setting(key, value.ToString(CultureInfo.InvariantCulture));

    private static string Setting(string key, string value) => $"{key} = {value}";
}
