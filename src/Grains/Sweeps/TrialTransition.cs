namespace Sweeps.Grains.Sweeps;

/// <summary>A trial's change of state as the metrics count it (label <c>transition</c>, lower case).</summary>
public enum TrialTransition
{
    Started,
    Done,
    Failed,
    /// <summary>A failed attempt queued again after its back-off.</summary>
    Retried,
    /// <summary>An attempt interrupted or lost with its silo, queued again to resume from its checkpoint.</summary>
    Requeued,
    Cancelled,
    /// <summary>A trial whose result another sweep had already stored.</summary>
    Reused,
    /// <summary>Ended by early stopping.</summary>
    Stopped,
}
