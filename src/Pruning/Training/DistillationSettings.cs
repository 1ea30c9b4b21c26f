namespace Sweeps.Pruning.Training;

/// <summary>
/// Knowledge distillation from a dense fine-tuned teacher: loss = α_kd · KL(softmax(z_t/T) ‖ softmax(z_s/T)) · T² + α_ce · CE.
/// </summary>
/// <param name="TeacherFolder">A dense trial's artefact folder, or a fine-tuned Hugging Face folder (see <see cref="FineTunedTeacher"/>).</param>
/// <param name="TeacherLabels">For a Hugging Face teacher whose id2label does not name the task's labels: the teacher's
/// label (name or output index) for each of the task's labels, in the task's order.</param>
public sealed record DistillationSettings(string TeacherFolder, double Temperature = 2.0, double AlphaKd = 0.5, double AlphaCe = 0.5,
    IReadOnlyList<string>? TeacherLabels = null);
