namespace Sweeps.Artifacts;

/// <summary>The mean training loss over the window of steps ending at <paramref name="Step"/>.</summary>
public sealed record LossPoint(int Step, double Loss)
{
    /// <summary>The fraction of the prunable weights the masks kept at that step (null in results written before it was recorded).</summary>
    public double? Keep { get; init; }
}
