using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>A sweep's durable state: its spec and every trial's record, keyed by trial id.</summary>
[GenerateSerializer, Alias("sweeps.SweepState")]
public sealed class SweepState
{
    [Id(0)] public SweepSpec? Spec { get; set; }

    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }

    [Id(2)] public bool Cancelled { get; set; }

    [Id(3)] public Dictionary<string, TrialRecord> Trials { get; set; } = [];
}
