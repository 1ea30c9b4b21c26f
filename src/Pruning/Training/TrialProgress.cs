namespace Sweeps.Pruning.Training;

/// <summary>A progress report from a running trial.</summary>
/// <param name="Phase">preparing, training, evaluating or done.</param>
public sealed record TrialProgress(string Phase, int Step, int TotalSteps, double Loss, double KeepFraction, double TokensPerSecond, string? Message = null);
