namespace Sweeps.Pruning.Training;

/// <summary>
/// Knowledge distillation from a dense fine-tuned teacher: loss = α_kd · KL(softmax(z_t/T) ‖ softmax(z_s/T)) · T² + α_ce · CE.
/// </summary>
/// <param name="TeacherFolder">A dense trial's artefact folder, or a fine-tuned Hugging Face folder.</param>
public sealed record DistillationSettings(string TeacherFolder)
{
    /// <summary>The temperature T.</summary>
    public double Temperature { get; init; } = TrialSettings.DistillationTemperature.Value;

    public double AlphaKd { get; init; } = TrialSettings.AlphaKd.Value;

    public double AlphaCe { get; init; } = TrialSettings.AlphaCe.Value;

    /// <summary>
    /// For a Hugging Face teacher whose id2label does not name the task's labels: the teacher's label (name or output
    /// index) for each of the task's labels, in the task's order.
    /// </summary>
    public IReadOnlyList<string>? TeacherLabels { get; init; }
}
