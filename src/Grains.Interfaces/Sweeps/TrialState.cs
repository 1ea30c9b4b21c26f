namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>Where a trial of a sweep stands.</summary>
public enum TrialState
{
    /// <summary>Waiting for a free device slot (or for its teacher, or for its retry back-off).</summary>
    Queued,
    /// <summary>Placed on a silo and training.</summary>
    Running,
    /// <summary>Finished in this sweep.</summary>
    Done,
    /// <summary>Finished earlier (by any sweep): its stored result was reused.</summary>
    Reused,
    /// <summary>Gave up after the retry limit, or its teacher failed.</summary>
    Failed,
    /// <summary>The sweep was cancelled before the trial finished.</summary>
    Cancelled,
    /// <summary>Early stopping ended it at a rung; its best evaluation so far is its result.</summary>
    Stopped,
}

public static class TrialStateFacts
{
    /// <summary>True for states a trial never leaves.</summary>
    public static bool IsFinal(this TrialState state) => state is TrialState.Done or TrialState.Reused or TrialState.Failed or TrialState.Cancelled or TrialState.Stopped;

    /// <summary>True where the trial has a result.</summary>
    public static bool HasResult(this TrialState state) => state is TrialState.Done or TrialState.Reused or TrialState.Stopped;
}
