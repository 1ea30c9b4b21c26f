namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>Distillation of one trial: from the dense trial <paramref name="TeacherTrialId"/> of the same sweep, or from an existing teacher folder.</summary>
public sealed record DistillationSpec(string? TeacherTrialId, string? TeacherFolder, double Temperature, double AlphaKd, double AlphaCe);
