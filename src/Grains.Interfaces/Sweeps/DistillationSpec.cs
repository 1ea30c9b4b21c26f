namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>Distillation of one trial: from the dense trial <paramref name="TeacherTrialId"/> of the same sweep, or from an existing teacher folder.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.DistillationSpec")]
public sealed record DistillationSpec([property: Id(0)] string? TeacherTrialId, [property: Id(1)] string? TeacherFolder, [property: Id(2)] double Temperature, [property: Id(3)] double AlphaKd, [property: Id(4)] double AlphaCe);
