using System.Text.Json.Serialization;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// Distillation of one trial: from the dense trial <paramref name="TeacherTrialId"/> of the same sweep, or from an
/// existing teacher folder (a trial's output folder, or a fine-tuned Hugging Face folder whose labels
/// <paramref name="TeacherLabels"/> maps to the task's).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.DistillationSpec")]
public sealed record DistillationSpec(
    [property: Id(0)] string? TeacherTrialId,
    [property: Id(1)] string? TeacherFolder,
    [property: Id(2)] double Temperature,
    [property: Id(3)] double AlphaKd,
    [property: Id(4)] double AlphaCe,
    // Left out of the trial's id when absent, so the ids of trials without it stay what they were.
    [property: Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? TeacherLabels = null);
