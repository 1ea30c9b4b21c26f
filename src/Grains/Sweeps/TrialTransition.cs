namespace Sweeps.Grains.Sweeps;

/// <summary>
/// A trial's change of state as the metrics count it (label <c>transition</c>: the name in snake case, e.g.
/// <c>out_of_memory</c>). The faults of an attempt's worker are counted besides the retry or failure they lead to.
/// </summary>
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
    /// <summary>An attempt's worker process died without a word (it is then retried or failed as any failed attempt).</summary>
    Crashed,
    /// <summary>An attempt ran out of memory (its worker's cap, or its device's).</summary>
    OutOfMemory,
    /// <summary>An attempt's worker reported nothing for the hang timeout and was killed.</summary>
    Hung,
}
