using Sweeps.Grains.Interfaces.Sweeps;
using static Sweeps.Grains.Sweeps.Lifecycle.TrialEffect;

namespace Sweeps.Grains.Sweeps.Lifecycle;

/// <summary>
/// The life of one trial's attempts as one plain function: (record, event, time) → (record, effects). Every rule of
/// what an event does to a trial is here, and nothing else is: no clock, no calls, no other trial. The sweep's
/// <see cref="SweepLedger"/> keeps the index over all trials (queue, counts, heartbeats) and carries the effects out.
/// The record passed in is never changed; the step holds a new one.
/// </summary>
/// <param name="retryLimit">Failed attempts retried before the trial fails for good.</param>
public sealed class TrialLifecycle(int retryLimit)
{
    /// <summary>The longest a failed trial waits before its next attempt, however many failures it has had.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    public TrialStep Apply(TrialRecord record, TrialEvent happened, DateTimeOffset now)
    {
        var next = record.Copy();
        var effects = new List<TrialEffect>();
        var changed = happened switch
        {
            TrialEvent.Dispatched => Dispatch(next, now),
            TrialEvent.StartRefused => Refuse(next),
            TrialEvent.Started started => Start(next, started, effects),
            TrialEvent.Finished finished => Finish(next, finished, now, effects),
            TrialEvent.Failed failed => Fail(next, failed, now, effects),
            TrialEvent.Interrupted interrupted => Interrupt(next, interrupted, now, effects),
            TrialEvent.HeartbeatsStopped silent => Lose(next, silent, now, effects),
            TrialEvent.Cancelled => Cancel(next, now, effects),
            TrialEvent.ResultFound found => Settle(next, found, now, effects),
            TrialEvent.SweepRestarted => Restart(next),
            TrialEvent.TeacherLost lost => LoseTeacher(next, lost, effects),
            _ => throw new ArgumentOutOfRangeException(nameof(happened), happened, "an event the lifecycle does not know"),
        };
        return changed ? new TrialStep(next, effects) : TrialStep.Unchanged(record);
    }

    private static bool Dispatch(TrialRecord record, DateTimeOffset now)
    {
        record.State = TrialState.Running;
        record.Attempts++;
        record.NotBefore = null;
        // Where it runs is known once the start is answered; an earlier attempt's silo no longer holds it.
        (record.Silo, record.Device) = (null, null);
        // An attempt left open (its sweep restarted while it ran) ends here, unless the start finds it still running.
        EndAttempt(record, now, "lost: its sweep restarted while it ran");
        record.History.Add(new TrialAttempt(record.Attempts, null, null, now, null, null));
        return true;
    }

    private static bool Refuse(TrialRecord record)
    {
        if (record.State != TrialState.Running) return false; // it reported an end meanwhile
        record.State = TrialState.Queued;
        record.Attempts--;
        if (record.History.Count > 0) record.History.RemoveAt(record.History.Count - 1);
        return true;
    }

    private static bool Start(TrialRecord record, TrialEvent.Started started, List<TrialEffect> effects)
    {
        if (started.AlreadyRunning)
        {
            record.Attempts--;
            // The attempt before goes on where it ran: the one just opened was never an attempt.
            if (record.History is [.., _, { Ending: null }])
            {
                record.History.RemoveAt(record.History.Count - 1);
                record.History[^1] = record.History[^1] with { EndedAt = null, Ending = null };
            }
        }
        else effects.Add(new Count(TrialTransition.Started));
        (record.Silo, record.Device) = (started.Silo, started.Device);
        if (record.History.Count > 0) record.History[^1] = record.History[^1] with { Silo = started.Silo, Device = started.Device };
        return true;
    }

    /// <summary>A result is recorded once, from whichever attempt brings it.</summary>
    private static bool Finish(TrialRecord record, TrialEvent.Finished finished, DateTimeOffset now, List<TrialEffect> effects)
    {
        if (record.State.IsFinal()) return false;
        var state = finished.StoppedByRule ? TrialState.Stopped : FinishedState(finished.Outcome);
        EndAttempt(record, now, state == TrialState.Stopped ? $"stopped early at step {finished.Outcome.StoppedAtStep ?? finished.Outcome.Steps}" : "done");
        record.State = state;
        record.Outcome = finished.Outcome;
        record.Error = null;
        if (finished.Outcome.Curve.Count > 0) record.Curve = []; // the outcome holds it whole: stored once
        effects.Add(new FreeSlot());
        effects.Add(new Count(state == TrialState.Stopped ? TrialTransition.Stopped : TrialTransition.Done));
        return true;
    }

    /// <summary>
    /// Queued again after a back-off that doubles with each failure (up to <see cref="MaxBackoff"/>), or, past the retry
    /// limit, failed together with its students.
    /// </summary>
    private bool Fail(TrialRecord record, TrialEvent.Failed failed, DateTimeOffset now, List<TrialEffect> effects)
    {
        if (record.State.IsFinal() || Stale(record, failed.Attempt)) return false;
        record.Failures++;
        // A trial's own error reads as it always has; the faults of its process say which they are.
        record.Error = failed.Fault == AttemptFault.Failed ? failed.Reason : $"{failed.Fault.Name()}: {failed.Reason}";
        EndAttempt(record, now, $"{failed.Fault.Name()}: {failed.Reason}");
        effects.Add(new FreeSlot());
        if (FaultTransition(failed.Fault) is { } fault) effects.Add(new Count(fault));
        if (record.Failures > retryLimit)
        {
            record.State = TrialState.Failed;
            effects.Add(new Count(TrialTransition.Failed));
            effects.Add(new FailStudents());
            return true;
        }
        var delay = failed.Backoff * Math.Pow(2, record.Failures - 1);
        record.State = TrialState.Queued;
        record.NotBefore = now + (delay < MaxBackoff ? delay : MaxBackoff);
        effects.Add(new Count(TrialTransition.Retried));
        return true;
    }

    private static bool Interrupt(TrialRecord record, TrialEvent.Interrupted interrupted, DateTimeOffset now, List<TrialEffect> effects)
    {
        if (record.State.IsFinal() || Stale(record, interrupted.Attempt)) return false;
        EndAttempt(record, now, "interrupted (its silo was stopping): checkpointed and queued again");
        record.State = interrupted.SweepCancelled ? TrialState.Cancelled : TrialState.Queued;
        effects.Add(new FreeSlot());
        effects.Add(new Count(interrupted.SweepCancelled ? TrialTransition.Cancelled : TrialTransition.Requeued));
        return true;
    }

    /// <summary>Queued again, to resume from its checkpoint elsewhere.</summary>
    private static bool Lose(TrialRecord record, TrialEvent.HeartbeatsStopped silent, DateTimeOffset now, List<TrialEffect> effects)
    {
        if (record.State != TrialState.Running) return false;
        var seconds = silent.Timeout.TotalSeconds;
        record.State = TrialState.Queued;
        record.Error = $"no heartbeat from {record.Silo} for {seconds:0} s; resumed elsewhere";
        EndAttempt(record, now, $"lost: no heartbeat for {seconds:0} s; resumed elsewhere from its checkpoint");
        effects.Add(new FreeSlot());
        effects.Add(new Count(TrialTransition.Requeued));
        return true;
    }

    private static bool Cancel(TrialRecord record, DateTimeOffset now, List<TrialEffect> effects)
    {
        if (record.State.IsFinal()) return false;
        if (record.State == TrialState.Running)
        {
            effects.Add(new StopAttempt());
            EndAttempt(record, now, "cancelled with its sweep");
        }
        record.State = TrialState.Cancelled;
        effects.Add(new Count(TrialTransition.Cancelled));
        return true;
    }

    private static bool Settle(TrialRecord record, TrialEvent.ResultFound found, DateTimeOffset now, List<TrialEffect> effects)
    {
        if (record.State.IsFinal()) return false;
        // An attempt left open by a restart is the one that stored this result.
        EndAttempt(record, now, "done");
        record.State = found.Reused ? TrialState.Reused : FinishedState(found.Outcome);
        record.Outcome = found.Outcome;
        if (found.Reused) effects.Add(new Count(TrialTransition.Reused));
        return true;
    }

    private static bool Restart(TrialRecord record)
    {
        if (record.State != TrialState.Running) return false;
        record.State = TrialState.Queued;
        return true;
    }

    private static bool LoseTeacher(TrialRecord record, TrialEvent.TeacherLost lost, List<TrialEffect> effects)
    {
        if (record.State.IsFinal()) return false;
        record.State = TrialState.Failed;
        record.Error = $"its teacher {lost.TeacherId} {lost.TeacherState.ToString().ToLowerInvariant()}";
        effects.Add(new Count(TrialTransition.Failed));
        return true;
    }

    /// <summary>
    /// A report of an attempt older than the trial's newest: a copy the sweep gave up (its heartbeats stopped) that
    /// failed or stopped while its successor runs. Its end is not the trial's. (A result is taken from any attempt.)
    /// </summary>
    private static bool Stale(TrialRecord record, int? attempt) => attempt < record.Attempts;

    /// <summary>Closes the trial's open attempt, if it has one, with how it ended.</summary>
    private static void EndAttempt(TrialRecord record, DateTimeOffset now, string ending)
    {
        if (record.History.Count > 0 && record.History[^1].Ending is null)
            record.History[^1] = record.History[^1] with { EndedAt = now, Ending = ending };
    }

    private static TrialTransition? FaultTransition(AttemptFault fault) => fault switch
    {
        AttemptFault.Crashed => TrialTransition.Crashed,
        AttemptFault.OutOfMemory => TrialTransition.OutOfMemory,
        AttemptFault.Hung => TrialTransition.Hung,
        _ => null,
    };

    /// <summary>A result ended by early stopping is a stopped trial's, whichever sweep stopped it.</summary>
    private static TrialState FinishedState(TrialOutcome outcome) => outcome.StoppedAtStep is null ? TrialState.Done : TrialState.Stopped;
}
