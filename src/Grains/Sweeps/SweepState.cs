namespace Sweeps.Grains.Sweeps;

/// <summary>A sweep's changing state: whether it was cancelled, and every trial's record, keyed by trial id.</summary>
[GenerateSerializer, Alias("sweeps.SweepState")]
public sealed class SweepState
{
    [Id(0)] public bool Cancelled { get; set; }

    [Id(1)] public Dictionary<string, TrialRecord> Trials { get; set; } = [];
}
