namespace Sweeps.Pruning.Training;

/// <summary>
/// Knowledge distillation from a dense fine-tuned teacher: loss = α_kd · KL(softmax(z_t/T) ‖ softmax(z_s/T)) · T² + α_ce · CE.
/// </summary>
/// <param name="TeacherFolder">A dense trial's artefact folder (model folder plus its head).</param>
public sealed record DistillationSettings(string TeacherFolder, double Temperature = 2.0, double AlphaKd = 0.5, double AlphaCe = 0.5);
