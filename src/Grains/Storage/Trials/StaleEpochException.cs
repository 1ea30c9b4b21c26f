using Orleans.Storage;

namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// A write from an activation of a sweep that a later activation has since claimed. An
/// <see cref="InconsistentStateException"/>, so Orleans deactivates the stale activation as it does on an ETag conflict.
/// </summary>
[GenerateSerializer, Alias("sweeps.StaleEpochException")]
public sealed class StaleEpochException : InconsistentStateException
{
    public StaleEpochException(string sweepId, long epoch, long current)
        : base($"Sweep {sweepId}: epoch {epoch} was superseded by {current} (another activation took the sweep over); this write is refused")
    {
    }
}
