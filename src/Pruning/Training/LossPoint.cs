namespace Sweeps.Pruning.Training;

/// <summary>The mean training loss over the window of steps ending at <paramref name="Step"/>.</summary>
public sealed record LossPoint(int Step, double Loss);
