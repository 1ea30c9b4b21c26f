namespace Sweeps.Grains.Sweeps.Lifecycle;

/// <summary>A trial's record after an event and what the sweep is to do about it; <see cref="Ignored"/> when the event changed nothing.</summary>
public sealed record TrialStep(TrialRecord Record, IReadOnlyList<TrialEffect> Effects, bool Ignored = false)
{
    public static TrialStep Unchanged(TrialRecord record) => new(record, [], Ignored: true);
}
