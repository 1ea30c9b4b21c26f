using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps.Lifecycle;

/// <summary>Something that happens to a trial, as <see cref="TrialLifecycle"/> takes it.</summary>
public abstract record TrialEvent
{
    /// <summary>The sweep sends the trial's next attempt to a silo (it counts as running from the moment the request leaves).</summary>
    public sealed record Dispatched : TrialEvent;

    /// <summary>The silo refused the start (no free slot) or could not be reached: the attempt never was.</summary>
    public sealed record StartRefused : TrialEvent;

    /// <summary>The start was answered: the attempt runs on <paramref name="Silo"/>, or the attempt before it was still running there.</summary>
    public sealed record Started(string? Silo, string? Device, bool AlreadyRunning) : TrialEvent;

    /// <summary>An attempt (any: a result is a result) reported the trial's outcome; <paramref name="StoppedByRule"/> when early stopping had asked it to stop.</summary>
    public sealed record Finished(TrialOutcome Outcome, bool StoppedByRule) : TrialEvent;

    /// <summary>
    /// Attempt <paramref name="Attempt"/> failed (null: the current one); a retry waits <paramref name="Backoff"/>,
    /// doubled for each failure before, up to <see cref="TrialLifecycle.MaxBackoff"/>.
    /// </summary>
    public sealed record Failed(int? Attempt, string Reason, AttemptFault Fault, TimeSpan Backoff) : TrialEvent;

    /// <summary>Attempt <paramref name="Attempt"/> stopped before finishing (its silo was stopping, or it was cancelled).</summary>
    public sealed record Interrupted(int? Attempt, bool SweepCancelled) : TrialEvent;

    /// <summary>No heartbeat for <paramref name="Timeout"/>: the attempt is presumed lost with its silo.</summary>
    public sealed record HeartbeatsStopped(TimeSpan Timeout) : TrialEvent;

    /// <summary>The sweep was cancelled.</summary>
    public sealed record Cancelled : TrialEvent;

    /// <summary>
    /// The artefact store holds the trial's result: reused from another sweep at submission (<paramref name="Reused"/>),
    /// or this sweep's, found after a restart or before a dispatch.
    /// </summary>
    public sealed record ResultFound(TrialOutcome Outcome, bool Reused) : TrialEvent;

    /// <summary>The sweep's activation was replaced: a running trial is queued again, its attempt left open (the trial may answer where it runs).</summary>
    public sealed record SweepRestarted : TrialEvent;

    /// <summary>The teacher this trial distils from ended without a result (<paramref name="TeacherState"/>: failed or cancelled).</summary>
    public sealed record TeacherLost(string TeacherId, TrialState TeacherState) : TrialEvent;
}
