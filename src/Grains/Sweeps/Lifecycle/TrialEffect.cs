namespace Sweeps.Grains.Sweeps.Lifecycle;

/// <summary>What the sweep is to do because of a trial's step (<see cref="TrialLifecycle"/>), besides keeping its new record.</summary>
public abstract record TrialEffect
{
    /// <summary>The attempt ended: its device slot is free (the only way a slot of an attempt is given back).</summary>
    public sealed record FreeSlot : TrialEffect;

    /// <summary>The running attempt is to be told to stop (its sweep was cancelled).</summary>
    public sealed record StopAttempt : TrialEffect;

    /// <summary>The trial failed for good: the students distilling from it fail too.</summary>
    public sealed record FailStudents : TrialEffect;

    /// <summary>A transition the metrics count.</summary>
    public sealed record Count(TrialTransition Transition) : TrialEffect;
}
