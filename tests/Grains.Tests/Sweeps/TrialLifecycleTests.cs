using System.Text.Json;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Sweeps.Lifecycle;
using E = Sweeps.Grains.Sweeps.Lifecycle.TrialEvent;

namespace Sweeps.Grains.Tests.Sweeps;

/// <summary>
/// The life of a trial's attempts, one row per (record, event): what the record becomes and what the sweep is to do.
/// Every interleaving the cluster can produce is a row here — a late report of a replaced attempt, a lost or refused
/// start, a start that finds the attempt before still running, retries and their back-off, early stopping, loss of
/// heartbeats, cancellation — each checked without a silo or a clock.
/// </summary>
public sealed class TrialLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0 + TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(5);
    private const int RetryLimit = 2;

    private static readonly TrialOutcome Full = new([new("accuracy", 0.9)], 0.5, 10, 0, 1, 100, 0);
    private static readonly TrialOutcome CutShort = Full with { StoppedAtStep = 40 };

    /// <summary>A record in <paramref name="state"/> after <paramref name="attempts"/> attempts, the last still open when <paramref name="open"/>.</summary>
    private static TrialRecord Record(TrialState state, int attempts = 0, int failures = 0, bool open = false)
    {
        var record = new TrialRecord { State = state, Attempts = attempts, Failures = failures, Silo = attempts > 0 ? "silo-1" : null };
        for (var n = 1; n <= attempts; n++)
            record.History.Add(new TrialAttempt(n, "silo-1", "cpu:0", T0, n == attempts && open ? null : T0, n == attempts && open ? null : "earlier"));
        return record;
    }

    /// <summary>(why, record before, event, what the step is: "state attempts [effects] last attempt's ending", or "ignored").</summary>
    public static TheoryData<string, TrialRecord, TrialEvent, string> Steps => new()
    {
        { "a queued trial is sent", Record(TrialState.Queued), new E.Dispatched(), "Running a1 [] open" },
        { "a trial queued by a restart is sent again: the attempt left open ends", Record(TrialState.Queued, 1, open: true), new E.Dispatched(),
            "Running a2 [] open (before: lost: its sweep restarted while it ran)" },
        { "a refused start was never an attempt", Record(TrialState.Running, 1, open: true), new E.StartRefused(), "Queued a0 [] none" },
        { "a refusal after the trial reported its end changes nothing", Record(TrialState.Done, 1), new E.StartRefused(), "ignored" },
        { "a start answered", Record(TrialState.Running, 1, open: true), new E.Started("silo-2", "cpu:1", false), "Running a1 [Count(Started)] open on silo-2" },
        { "a start that finds the attempt before still running goes on with it", Reopened(Record(TrialState.Running, 2, open: true)),
            new E.Started("silo-1", "cpu:0", true), "Running a1 [] open on silo-1" },
        { "a result", Record(TrialState.Running, 1, open: true), new E.Finished(Full, false), "Done a1 [FreeSlot, Count(Done)] done" },
        { "a result after early stopping asked for it", Record(TrialState.Running, 1, open: true), new E.Finished(CutShort, true),
            "Stopped a1 [FreeSlot, Count(Stopped)] stopped early at step 40" },
        { "a result is recorded once", Record(TrialState.Done, 1), new E.Finished(Full, false), "ignored" },
        { "a result from a replaced attempt is still the trial's", Record(TrialState.Running, 3, open: true), new E.Finished(Full, false), "Done a3 [FreeSlot, Count(Done)] done" },
        { "a failure is retried after its back-off", Record(TrialState.Running, 1, open: true), new E.Failed(1, "boom", AttemptFault.Failed, Backoff),
            "Queued a1 [FreeSlot, Count(Retried)] failed: boom, not before +5 s" },
        { "the back-off doubles with each failure", Record(TrialState.Running, 2, failures: 1, open: true), new E.Failed(2, "boom", AttemptFault.Failed, Backoff),
            "Queued a2 [FreeSlot, Count(Retried)] failed: boom, not before +10 s" },
        { "the back-off stops growing at five minutes", Record(TrialState.Running, 10, failures: 1, open: true), new E.Failed(null, "boom", AttemptFault.Failed, TimeSpan.FromMinutes(4)),
            "Queued a10 [FreeSlot, Count(Retried)] failed: boom, not before +300 s" },
        { "a crash past the retry limit fails the trial and its students", Record(TrialState.Running, 3, failures: RetryLimit, open: true),
            new E.Failed(3, "killed by SIGSEGV", AttemptFault.Crashed, Backoff), "Failed a3 [FreeSlot, Count(Crashed), Count(Failed), FailStudents] crashed: killed by SIGSEGV" },
        { "a late failure of a replaced attempt does not end its successor", Record(TrialState.Running, 2, open: true),
            new E.Failed(1, "boom", AttemptFault.Failed, Backoff), "ignored" },
        { "a failure of a finished trial", Record(TrialState.Done, 1), new E.Failed(1, "boom", AttemptFault.Failed, Backoff), "ignored" },
        { "an interrupted attempt is queued to resume", Record(TrialState.Running, 1, open: true), new E.Interrupted(1, false),
            "Queued a1 [FreeSlot, Count(Requeued)] interrupted (its silo was stopping): checkpointed and queued again" },
        { "an interruption in a cancelled sweep", Record(TrialState.Running, 1, open: true), new E.Interrupted(1, true),
            "Cancelled a1 [FreeSlot, Count(Cancelled)] interrupted (its silo was stopping): checkpointed and queued again" },
        { "a late interruption of a replaced attempt", Record(TrialState.Running, 3, open: true), new E.Interrupted(2, false), "ignored" },
        { "silent for the heartbeat timeout: lost, resumed elsewhere", Record(TrialState.Running, 1, open: true), new E.HeartbeatsStopped(TimeSpan.FromSeconds(30)),
            "Queued a1 [FreeSlot, Count(Requeued)] lost: no heartbeat for 30 s; resumed elsewhere from its checkpoint" },
        { "a trial no longer running cannot be lost", Record(TrialState.Queued, 1), new E.HeartbeatsStopped(TimeSpan.FromSeconds(30)), "ignored" },
        { "cancelled while running: told to stop", Record(TrialState.Running, 1, open: true), new E.Cancelled(),
            "Cancelled a1 [StopAttempt, Count(Cancelled)] cancelled with its sweep" },
        { "cancelled while queued", Record(TrialState.Queued), new E.Cancelled(), "Cancelled a0 [Count(Cancelled)] none" },
        { "a finished trial stays finished when its sweep is cancelled", Record(TrialState.Done, 1), new E.Cancelled(), "ignored" },
        { "a stored result reused at submission", Record(TrialState.Queued), new E.ResultFound(Full, true), "Reused a0 [Count(Reused)] none" },
        { "its own result found after a restart", Record(TrialState.Queued, 1, open: true), new E.ResultFound(Full, false), "Done a1 [] done" },
        { "a result cut short by early stopping is a stopped trial's", Record(TrialState.Queued), new E.ResultFound(CutShort, false), "Stopped a0 [] none" },
        { "running when its sweep restarted: queued, the attempt left open", Record(TrialState.Running, 1, open: true), new E.SweepRestarted(), "Queued a1 [] open" },
        { "a student whose teacher was cancelled", Record(TrialState.Queued), new E.TeacherLost("t1", TrialState.Cancelled), "Failed a0 [Count(Failed)] none, its teacher t1 cancelled" },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public void Step(string why, TrialRecord before, TrialEvent happened, string expected)
    {
        var unchanged = JsonSerializer.Serialize(before);

        var step = new TrialLifecycle(RetryLimit).Apply(before, happened, Now);

        Assert.True(expected == Describe(step), $"{why}: expected {expected}, got {Describe(step)}");
        Assert.Equal(unchanged, JsonSerializer.Serialize(before)); // the record given is never changed
        Assert.True(step.Ignored == ReferenceEquals(step.Record, before), why);
    }

    [Fact]
    public void EveryEvent_HasARow()
    {
        var covered = Steps.Select(row => row[2].GetType()).ToHashSet();
        var events = typeof(TrialEvent).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(TrialEvent)));

        Assert.All(events, e => Assert.Contains(e, covered));
    }

    /// <summary>The record of a trial whose attempt 1 the sweep gave up on restart (ended) and attempt 2 just sent.</summary>
    private static TrialRecord Reopened(TrialRecord record)
    {
        record.History[0] = record.History[0] with { EndedAt = Now, Ending = "lost: its sweep restarted while it ran" };
        return record;
    }

    private static string Describe(TrialStep step)
    {
        if (step.Ignored) return "ignored";
        var r = step.Record;
        var effects = string.Join(", ", step.Effects.Select(e => e switch
        {
            TrialEffect.Count count => $"Count({count.Transition})",
            _ => e.GetType().Name,
        }));
        var last = r.History.Count == 0 ? "none" : r.History[^1].Ending ?? "open";
        var text = $"{r.State} a{r.Attempts} [{effects}] {last}";
        if (r.History is [.., var previous, { Ending: null }] && previous.Ending?.StartsWith("lost", StringComparison.Ordinal) == true) text += $" (before: {previous.Ending})";
        if (r.State == TrialState.Running && r.Silo is { } silo) text += $" on {silo}";
        if (r.NotBefore is { } notBefore) text += $", not before +{(notBefore - Now).TotalSeconds:0} s";
        if (r.State == TrialState.Failed && r.Error?.StartsWith("its teacher", StringComparison.Ordinal) == true) text += $", {r.Error}";
        return text;
    }
}
