using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Metrics;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Sweeps.Lifecycle;
using Sweeps.Grains.Sweeps.Scheduling;
using Sweeps.Grains.Tests.Cluster;

namespace Sweeps.Grains.Tests.Sweeps;

/// <summary>
/// The sweep's rules on the plain ledger, with a clock the test moves: no silo, no sleeps, each in milliseconds.
/// </summary>
public sealed class SweepLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TrialOutcome Outcome = new([new("accuracy", 0.9)], 0.5, 10, 0, 1, 100, 0);
    private static readonly TrialStartReply StartedReply = new(true, "silo-1", "cpu:0");

    /// <summary>A sweep as it is submitted: stored results of its trials reused.</summary>
    private static SweepLedger Ledger(SweepSpec spec, Func<string, TrialOutcome?>? stored = null)
    {
        var ledger = new SweepLedger(spec, new SweepState(), stored ?? (_ => null));
        ledger.ReuseStoredResults(ledger.FindStoredResults(ledger.QueuedTrialIds()));
        return ledger;
    }

    private static List<string> Dispatch(SweepLedger ledger, DateTimeOffset now, int batch = 64)
    {
        var next = ledger.NextBatch(now, batch);
        foreach (var trial in next)
        {
            ledger.Dispatching(trial.Id, "sweep", now);
            ledger.Started(trial.Id, StartedReply);
        }
        return next.Select(t => t.Id).ToList();
    }

    [Fact]
    public void Teachers_AreDispatchedBeforeTheirStudents_WhoFollowTheirTeachersResult()
    {
        var spec = SweepSpecs.WithTeachers("kd", teachers: 2, studentsPerTeacher: 2);
        var ledger = Ledger(spec);
        var teachers = spec.Trials.Where(t => t.Method == "dense").Select(t => t.Id).ToList();

        Assert.Equal(teachers, Dispatch(ledger, T0));
        Assert.Empty(Dispatch(ledger, T0));
        ledger.Finish(teachers[0], Outcome, T0);

        var students = Dispatch(ledger, T0);

        Assert.Equal(spec.Trials.Where(t => t.Distillation?.TeacherTrialId == teachers[0]).Select(t => t.Id), students);
    }

    [Fact]
    public void FailedAttempt_IsRetriedAfterADoublingBackoff_ThenGivenUpWithItsStudents()
    {
        var spec = SweepSpecs.WithTeachers("retry", teachers: 1, studentsPerTeacher: 2, retryLimit: 2);
        var ledger = Ledger(spec);
        var teacher = Assert.Single(Dispatch(ledger, T0));
        var backoff = TimeSpan.FromSeconds(5);

        var first = ledger.Fail(teacher, "boom", T0, backoff)!;
        Assert.Equal((false, T0 + backoff), (first.GaveUp, first.NotBefore));
        Assert.Empty(Dispatch(ledger, T0 + backoff - TimeSpan.FromTicks(1)));
        Assert.Equal([teacher], Dispatch(ledger, T0 + backoff));
        var second = ledger.Fail(teacher, "boom", T0 + backoff, backoff)!;
        Assert.Equal(T0 + backoff + 2 * backoff, second.NotBefore);
        Dispatch(ledger, second.NotBefore!.Value);

        var third = ledger.Fail(teacher, "boom again", second.NotBefore.Value, backoff)!;

        Assert.True(third.GaveUp);
        var status = ledger.Status("retry", T0);
        Assert.Equal(TrialState.Failed, status.Trials.Single(t => t.Spec.Id == teacher).State);
        Assert.All(status.Trials.Where(t => t.Spec.Distillation is not null), s => Assert.Equal((TrialState.Failed, $"its teacher {teacher} failed"), (s.State, s.Error)));
        Assert.True(ledger.IsFinished);
        Assert.Equal([TrialTransition.Started, TrialTransition.Retried, TrialTransition.Started, TrialTransition.Retried, TrialTransition.Started,
            TrialTransition.Failed, TrialTransition.Failed, TrialTransition.Failed], ledger.TakeTransitions());
    }

    [Fact]
    public void Backoff_NeverExceedsItsCap()
    {
        var spec = SweepSpecs.WithTeachers("cap", teachers: 1, studentsPerTeacher: 0, retryLimit: 100);
        var ledger = Ledger(spec);
        var now = T0;
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            var trial = Assert.Single(Dispatch(ledger, now));
            var decision = ledger.Fail(trial, "boom", now, TimeSpan.FromSeconds(5))!;
            waits.Add(decision.NotBefore!.Value - now);
            now = decision.NotBefore.Value;
        }

        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], waits.Take(8).Select(w => w.TotalSeconds));
        Assert.All(waits, w => Assert.True(w <= TrialLifecycle.MaxBackoff));
    }

    [Fact]
    public void SilentTrial_IsRequeuedAfterTheHeartbeatTimeout_AndAHeartbeatKeepsItRunning()
    {
        var spec = SweepSpecs.WithTeachers("silent", teachers: 2, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var (quiet, talking) = (spec.Trials[0].Id, spec.Trials[1].Id);
        Dispatch(ledger, T0);
        var timeout = TimeSpan.FromSeconds(60);
        ledger.Heartbeat(talking, new TrialProgressReport(TrialPhase.Training, 5, 100, 0.5, 1, 100), T0 + TimeSpan.FromSeconds(50));

        Assert.Empty(ledger.ExpireHeartbeats(T0 + timeout, timeout));
        var expired = ledger.ExpireHeartbeats(T0 + timeout + TimeSpan.FromSeconds(1), timeout);

        Assert.Equal([(quiet, (string?)"silo-1")], expired);
        var status = ledger.Status("silent", T0).Trials;
        Assert.Equal(TrialState.Queued, status[0].State);
        Assert.Contains("no heartbeat from silo-1", status[0].Error);
        Assert.Equal(TrialState.Running, status[1].State);
        Assert.Equal([quiet], ledger.TakeEnded());
    }

    [Fact]
    public void ConcurrencyLimit_BoundsEachBatch_AndAFinishedTrialMakesRoom()
    {
        var spec = SweepSpecs.WithTeachers("limit", teachers: 5, studentsPerTeacher: 0) with { MaxConcurrentTrials = 2 };
        var ledger = Ledger(spec);

        var first = Dispatch(ledger, T0);
        Assert.Equal(2, first.Count);
        Assert.Empty(Dispatch(ledger, T0));
        ledger.Finish(first[0], Outcome, T0);

        Assert.Single(Dispatch(ledger, T0));
    }

    [Fact]
    public void StoredResults_AreReusedAtSubmit_AndSettledInsteadOfDispatched()
    {
        var spec = SweepSpecs.WithTeachers("stored", teachers: 3, studentsPerTeacher: 0);
        var stored = new Dictionary<string, TrialOutcome> { [spec.Trials[0].Id] = Outcome };
        var ledger = Ledger(spec, id => stored.GetValueOrDefault(id));
        Assert.Equal(1, ledger.Count(TrialState.Reused));
        stored[spec.Trials[1].Id] = Outcome; // finished by another sweep meanwhile

        Assert.Equal([spec.Trials[2].Id], Dispatch(ledger, T0));
        Assert.Equal(1, ledger.Count(TrialState.Done));
    }

    [Fact]
    public void Cancel_ReturnsTheRunningTrials_MarksEveryUnfinishedOneCancelled_AndDispatchesNothingMore()
    {
        var spec = SweepSpecs.WithTeachers("cancel", teachers: 3, studentsPerTeacher: 1) with { MaxConcurrentTrials = 2 };
        var ledger = Ledger(spec);
        var running = Dispatch(ledger, T0);

        Assert.Equal(running, ledger.Cancel(T0).Order());
        Assert.Equal(6, ledger.Count(TrialState.Cancelled));
        Assert.Empty(ledger.NextBatch(T0, 64));
        Assert.False(ledger.Interrupt(running[0], T0)); // the stopped trial's report comes after: it stays cancelled
    }

    [Fact]
    public void Recover_RequeuesRunningTrials_AndSettlesThoseTheStoreFinished()
    {
        var spec = SweepSpecs.WithTeachers("recover", teachers: 2, studentsPerTeacher: 0);
        var state = new SweepState();
        var before = new SweepLedger(spec, state, _ => null);
        Dispatch(before, T0);

        var after = new SweepLedger(spec, state, id => id == spec.Trials[0].Id ? Outcome : null);
        after.Recover(T0);

        Assert.Equal((1, 1, 0), (after.Count(TrialState.Done), after.Count(TrialState.Queued), after.Count(TrialState.Running)));
    }

    [Fact]
    public void ResultsAndRefusals_AreTakenOnce_AndARefusedStartIsNotCounted()
    {
        var spec = SweepSpecs.WithTeachers("once", teachers: 1, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var trial = ledger.NextBatch(T0, 64).Single().Id;
        ledger.Dispatching(trial, "once", T0);
        ledger.StartRefused(trial); // no slot where it was sent: not an attempt
        Assert.Equal((TrialState.Queued, 0), (ledger.Status("once", T0).Trials[0].State, ledger.Status("once", T0).Trials[0].Attempts));

        Dispatch(ledger, T0);

        Assert.True(ledger.Finish(trial, Outcome, T0));
        Assert.False(ledger.Finish(trial, Outcome, T0));
        Assert.Null(ledger.Fail(trial, "late", T0, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, ledger.Status("once", T0).Trials[0].Attempts);
    }

    /// <summary>
    /// Reports that arrive after the sweep replaced the attempt they speak of (attempt 1 lost with its heartbeats,
    /// attempt 2 running elsewhere): how each lands, by kind of report and attempt.
    /// </summary>
    [Theory]
    [InlineData("failed", 1, TrialState.Running, 0)] // the given-up copy failed: attempt 2 runs on, nothing counted
    [InlineData("interrupted", 1, TrialState.Running, 0)] // the given-up copy was stopped: attempt 2 runs on
    [InlineData("failed", 2, TrialState.Queued, 1)] // the newest attempt failed: retried after its back-off
    [InlineData("interrupted", 2, TrialState.Queued, 0)] // the newest attempt was stopped: queued again
    [InlineData("finished", 1, TrialState.Done, 0)] // a result is the trial's, whichever attempt made it
    public void AReportOfAReplacedAttempt_DoesNotEndItsSuccessor(string report, int attempt, TrialState expected, int failures)
    {
        var spec = SweepSpecs.WithTeachers("late", teachers: 1, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var trial = Assert.Single(Dispatch(ledger, T0));
        var timeout = TimeSpan.FromSeconds(60);
        ledger.ExpireHeartbeats(T0, timeout);
        Assert.Single(ledger.ExpireHeartbeats(T0 + timeout + TimeSpan.FromSeconds(1), timeout)); // attempt 1 given up
        Dispatch(ledger, T0 + timeout + TimeSpan.FromSeconds(2)); // attempt 2 placed elsewhere
        var later = T0 + timeout + TimeSpan.FromSeconds(3);

        _ = report switch
        {
            "failed" => ledger.Fail(trial, "worker crashed", later, TimeSpan.FromSeconds(5), AttemptFault.Crashed, attempt) is not null,
            "interrupted" => ledger.Interrupt(trial, later, attempt),
            _ => ledger.Finish(trial, Outcome, later),
        };

        var status = ledger.Status("late", later).Trials.Single();
        Assert.Equal((expected, failures, 2), (status.State, ledger.Status("late", later).Trials.Single().History.Count(a => a.Ending?.StartsWith("crashed") == true), status.Attempts));
        if (expected == TrialState.Running) Assert.Null(status.History[^1].Ending); // attempt 2 still open
    }

    [Fact]
    public void TenThousandTrials_AreDispatchedAndFinishedInBatches_WithCountsInStep()
    {
        var spec = SweepSpecs.WithTeachers("big", teachers: 2000, studentsPerTeacher: 4);
        var ledger = Ledger(spec);
        var rounds = 0;
        while (!ledger.IsFinished)
        {
            var batch = Dispatch(ledger, T0);
            Assert.NotEmpty(batch);
            foreach (var id in batch) ledger.Finish(id, Outcome, T0);
            rounds++;
        }

        Assert.Equal(10_000, ledger.Count(TrialState.Done));
        Assert.InRange(rounds, 10_000 / 64, 10_000 / 32); // batches, not one trial at a time
    }

    [Fact]
    public void DevEvaluations_InHeartbeats_BecomeTheTrialsCurve_OncePerStep_AcrossAttempts()
    {
        var spec = SweepSpecs.WithTeachers("curve", teachers: 1, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var trial = Assert.Single(Dispatch(ledger, T0));
        EvaluationPoint Point(int step, double accuracy) => new(step, [new("accuracy", accuracy)], false);
        TrialProgressReport Report(params EvaluationPoint[] points) => new(TrialPhase.Training, 10, 100, 0.5, 0.5, 100) { Evaluations = points };

        ledger.Heartbeat(trial, Report(Point(20, 0.6)), T0);
        Assert.Equal([20], ledger.TakeChanges().Evaluations.Select(e => e.Value.Step));
        ledger.Heartbeat(trial, Report(Point(20, 0.6)), T0);
        Assert.False(ledger.HasChanges); // nothing new to write
        ledger.Heartbeat(trial, Report(Point(20, 0.6), Point(40, 0.7)), T0);
        var changes = ledger.TakeChanges();
        Assert.Equal([40], changes.Evaluations.Select(e => e.Value.Step)); // appended, not the curve again
        Assert.Empty(changes.Records); // a heartbeat's evaluation leaves the trial's record as it is
        ledger.Fail(trial, "lost", T0, TimeSpan.Zero);
        Dispatch(ledger, T0 + TimeSpan.FromSeconds(1));
        ledger.Heartbeat(trial, Report(Point(40, 0.7), Point(60, 0.8)), T0 + TimeSpan.FromSeconds(1));

        var status = ledger.Status("curve", T0).Trials.Single();
        Assert.Equal([20, 40, 60], status.Curve.Select(c => c.Step));
        Assert.Equal(0.8, status.Curve[^1].Metric("accuracy"));
    }

    /// <summary>
    /// Activated again with no stored record for a trial (it started and finished between two writes, and the sweep's
    /// silo died): its result is this sweep's, done, not reused from another.
    /// </summary>
    [Fact]
    public void AfterARestart_ATrialWithoutARecordButWithAResult_IsDone_NotReused()
    {
        var spec = SweepSpecs.WithTeachers("restarted", teachers: 2, studentsPerTeacher: 0);
        var ledger = new SweepLedger(spec, new SweepState(), id => id == spec.Trials[0].Id ? Outcome : null);

        ledger.Recover(T0);

        Assert.Equal((1, 0, 1), (ledger.Count(TrialState.Done), ledger.Count(TrialState.Reused), ledger.Count(TrialState.Queued)));
    }

    [Fact]
    public void AResultCutShortByEarlyStopping_IsReusedOnlyByASweepThatStopsEarly()
    {
        var plain = SweepSpecs.WithTeachers("plain", teachers: 2, studentsPerTeacher: 0);
        var early = plain with { Name = "asha", EarlyStopping = new EarlyStoppingSpec(null, true, 10, 3, 100, false) };
        var stopped = Outcome with { StoppedAtStep = 30 };
        TrialOutcome? Stored(string id) => id == plain.Trials[0].Id ? stopped : null;

        var withoutEarlyStopping = Ledger(plain, Stored);
        var withEarlyStopping = Ledger(early, Stored);

        Assert.Equal(0, withoutEarlyStopping.Count(TrialState.Reused));
        Assert.Equal(2, withoutEarlyStopping.NextBatch(T0, 64).Count);
        Assert.Equal(1, withEarlyStopping.Count(TrialState.Reused));
        Assert.Equal(plain.Trials[1].Id, Assert.Single(withEarlyStopping.NextBatch(T0, 64)).Id);
        Assert.True(withEarlyStopping.Dispatching(plain.Trials[1].Id, "asha", T0).AcceptsStopped);
        Assert.False(withoutEarlyStopping.Dispatching(plain.Trials[1].Id, "plain", T0).AcceptsStopped);
    }

    [Fact]
    public void ATeacher_IsNeverStoppedEarly_ItsStudentsAre()
    {
        var spec = SweepSpecs.WithTeachers("kd", teachers: 3, studentsPerTeacher: 1) with
        {
            EarlyStopping = new EarlyStoppingSpec("accuracy", true, 10, 3, 100, false),
        };
        var ledger = Ledger(spec);
        var (teachers, students) = (spec.Trials.Where(t => t.Method == "dense").ToList(), spec.Trials.Where(t => t.Method != "dense").ToList());
        TrialProgressReport Report(double accuracy) => new(TrialPhase.Training, 10, 100, 0.5, 1, 100) { Evaluations = [new(10, [new("accuracy", accuracy)], false)] };
        Dispatch(ledger, T0);

        for (var i = 0; i < 3; i++) ledger.Heartbeat(teachers[i].Id, Report(0.9 - i * 0.2), T0);
        Assert.Empty(ledger.TakeStops());
        foreach (var teacher in teachers) ledger.Finish(teacher.Id, Outcome, T0);
        Dispatch(ledger, T0);
        for (var i = 0; i < 3; i++) ledger.Heartbeat(students[i].Id, Report(0.9 - i * 0.2), T0);
        Assert.Equal([students[1].Id, students[2].Id], ledger.TakeStops());
    }

    [Fact]
    public void History_EachAttemptKeepsItsSiloDeviceAndEnding()
    {
        var spec = SweepSpecs.WithTeachers("history", teachers: 1, studentsPerTeacher: 0, retryLimit: 3);
        var ledger = Ledger(spec);
        var trial = spec.Trials[0].Id;
        var timeout = TimeSpan.FromSeconds(30);

        Dispatch(ledger, T0);
        ledger.ExpireHeartbeats(T0 + timeout + TimeSpan.FromSeconds(1), timeout); // attempt 1: its silo went silent
        var retry = ledger.NextBatch(T0 + TimeSpan.FromMinutes(1), 8);
        ledger.Dispatching(trial, "sweep", T0 + TimeSpan.FromMinutes(1));
        ledger.Started(trial, new TrialStartReply(true, "silo-2", "cpu:1"));
        ledger.Fail(trial, "the loss became NaN", T0 + TimeSpan.FromMinutes(2), TimeSpan.Zero); // attempt 2
        ledger.NextBatch(T0 + TimeSpan.FromMinutes(3), 8);
        ledger.Dispatching(trial, "sweep", T0 + TimeSpan.FromMinutes(3));
        ledger.StartRefused(trial); // no slot where it was sent: not an attempt
        ledger.Dispatching(trial, "sweep", T0 + TimeSpan.FromMinutes(4));
        ledger.Started(trial, new TrialStartReply(true, "silo-1", "cpu:0"));
        var running = ledger.Status("sweep", T0).Trials[0].History;
        ledger.Finish(trial, Outcome, T0 + TimeSpan.FromMinutes(5)); // attempt 3

        Assert.Equal([trial], retry.Select(t => t.Id));
        Assert.Null(running[^1].Ending);
        var history = ledger.Status("sweep", T0).Trials[0].History;
        Assert.Equal([1, 2, 3], history.Select(a => a.Number));
        Assert.Equal(["silo-1", "silo-2", "silo-1"], history.Select(a => a.Silo));
        Assert.StartsWith("lost: no heartbeat for 30 s", history[0].Ending);
        Assert.Equal("failed: the loss became NaN", history[1].Ending);
        Assert.Equal(("done", T0 + TimeSpan.FromMinutes(4), T0 + TimeSpan.FromMinutes(5)), (history[2].Ending, history[2].StartedAt, history[2].EndedAt));
    }

    [Fact]
    public void WorkerFaults_CountAgainstTheRetryLimit_AreNamedInTheErrorAndHistory_AndCountedByKind()
    {
        var spec = SweepSpecs.WithTeachers("faults", teachers: 1, studentsPerTeacher: 0, retryLimit: 2);
        var ledger = Ledger(spec);
        var trial = spec.Trials[0].Id;
        var now = T0;
        foreach (var (fault, reason) in new[]
                 {
                     (AttemptFault.Crashed, "the worker was killed by SIGSEGV at step 3"),
                     (AttemptFault.OutOfMemory, "an allocation failed at step 9 within the worker's memory cap of 3 GiB: …"),
                     (AttemptFault.Hung, "no progress for 600 s at step 12 (Sweeps:Worker:HangTimeout); the worker was killed"),
                 })
        {
            now += TimeSpan.FromMinutes(10);
            Dispatch(ledger, now);
            ledger.Fail(trial, reason, now, TimeSpan.Zero, fault);
        }

        var status = ledger.Status("faults", T0).Trials[0];
        Assert.Equal(TrialState.Failed, status.State); // three faults past a retry limit of 2
        Assert.Equal("hung: no progress for 600 s at step 12 (Sweeps:Worker:HangTimeout); the worker was killed", status.Error);
        Assert.Equal(["crashed: the worker was killed by SIGSEGV at step 3", "out of memory: an allocation failed at step 9 within the worker's memory cap of 3 GiB: …",
            "hung: no progress for 600 s at step 12 (Sweeps:Worker:HangTimeout); the worker was killed"], status.History.Select(a => a.Ending));
        Assert.Equal(status.History[^1], status.LastTrouble);
        Assert.Equal([TrialTransition.Started, TrialTransition.Crashed, TrialTransition.Retried, TrialTransition.Started, TrialTransition.OutOfMemory,
            TrialTransition.Retried, TrialTransition.Started, TrialTransition.Hung, TrialTransition.Failed], ledger.TakeTransitions());
        Assert.Equal(["started", "crashed", "out_of_memory", "hung"],
            new[] { TrialTransition.Started, TrialTransition.Crashed, TrialTransition.OutOfMemory, TrialTransition.Hung }.Select(SweepsMetrics.LabelOf));
    }

    [Fact]
    public void TrialThatGotOverACrash_IsDone_ItsLastTroubleStillShown()
    {
        var spec = SweepSpecs.WithTeachers("over", teachers: 1, studentsPerTeacher: 0, retryLimit: 2);
        var ledger = Ledger(spec);
        var trial = spec.Trials[0].Id;
        Dispatch(ledger, T0);
        ledger.Fail(trial, "the worker was killed by SIGKILL at step 40", T0, TimeSpan.Zero, AttemptFault.Crashed);
        Dispatch(ledger, T0 + TimeSpan.FromMinutes(1));
        ledger.Finish(trial, Outcome, T0 + TimeSpan.FromMinutes(2));

        var status = ledger.Status("over", T0).Trials[0];
        Assert.Equal((TrialState.Done, null), (status.State, status.Error));
        Assert.Equal((1, "crashed: the worker was killed by SIGKILL at step 40"), (status.LastTrouble!.Number, status.LastTrouble.Ending));
    }

    [Fact]
    public void Pages_InGridOrder_FilteredByStateOrId_CountingWhatMatches()
    {
        var spec = SweepSpecs.WithTeachers("pages", teachers: 10, studentsPerTeacher: 2); // each teacher followed by its two students
        var ledger = Ledger(spec);
        var started = Dispatch(ledger, T0); // the teachers: their students wait for them
        ledger.Finish(started[3], Outcome, T0);
        var ids = spec.Trials.Select(t => t.Id).ToList();

        var second = ledger.Page(new TrialQuery(Offset: 5, Limit: 5));
        var running = ledger.Page(new TrialQuery(Offset: 2, Limit: 4, States: [TrialState.Running]));
        var byId = ledger.Page(TrialQuery.ById(ids[7], "no-such-trial", ids[1]));
        var huge = ledger.Page(new TrialQuery(Limit: int.MaxValue));

        Assert.Equal((30, 5), (second.Matching, second.Offset));
        Assert.Equal(ids[5..10], second.Trials.Select(t => t.Spec.Id));
        Assert.True(second.HasMore);
        Assert.Equal(9, running.Matching);
        Assert.Equal(started.Where(id => id != started[3]).Skip(2).Take(4), running.Trials.Select(t => t.Spec.Id));
        Assert.All(running.Trials, t => Assert.Equal(TrialState.Running, t.State));
        Assert.Equal([ids[1], ids[7]], byId.Trials.Select(t => t.Spec.Id)); // grid order; an unknown id is not there
        Assert.Equal(30, huge.Trials.Count);
        Assert.False(huge.HasMore);
    }

    [Fact]
    public void Summary_NamesTheRunningTrialsWithoutTheirCurves()
    {
        var spec = SweepSpecs.WithTeachers("summary", teachers: 2, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var started = Dispatch(ledger, T0);
        ledger.Heartbeat(started[0], new TrialProgressReport(TrialPhase.Training, 10, 100, 0.5, 1, 0) { Evaluations = [new EvaluationPoint(10, [new("accuracy", 0.8)], false)] }, T0);

        var summary = ledger.Progress("summary");
        var page = ledger.Page(TrialQuery.ById(started[0]));

        Assert.Equal(started, summary.Running.Select(t => t.Spec.Id).Order());
        Assert.All(summary.Running, t => Assert.Empty(t.Curve));
        Assert.Single(page.Trials[0].Curve);
        Assert.Single(page.Trials[0].History);
    }

    [Fact]
    public void Summary_ListsTheFirstFailures_AndTheFirstTrialsRetriedAfterAFailedAttempt_InGridOrder()
    {
        var spec = SweepSpecs.WithTeachers("failures", teachers: 26, studentsPerTeacher: 0, retryLimit: 1);
        var ledger = Ledger(spec);
        var started = Dispatch(ledger, T0);
        foreach (var id in started.Take(24)) ledger.Fail(id, $"boom {id}", T0, TimeSpan.Zero);
        Assert.Equal(started.Take(24), Dispatch(ledger, T0)); // each retried at once, its reason kept while it runs
        ledger.Fail(started[0], "boom again", T0, TimeSpan.Zero);
        ledger.Fail(started[1], "boom again", T0, TimeSpan.Zero);
        ledger.Finish(started[2], Outcome, T0);

        var summary = ledger.Progress("failures");

        Assert.Equal(started[..2], summary.Failures.Select(t => t.Spec.Id));
        Assert.All(summary.Failures, t => Assert.Equal((TrialState.Failed, "boom again"), (t.State, t.Error)));
        // The 21 retried trials still running (the finished one is no longer one of them), the first 20 listed.
        Assert.Equal(started[3..23], summary.Retrying.Select(t => t.Spec.Id));
        Assert.All(summary.Retrying, t => Assert.Equal((TrialState.Running, $"boom {t.Spec.Id}"), (t.State, t.Error)));
        Assert.Equal((2, 23, 1), (summary.Count(TrialState.Failed), summary.Count(TrialState.Running), summary.Count(TrialState.Done)));
    }

    [Fact]
    public void Written_LetsGoOfTheRecordsOfTrialsWithResults_WhoseStateStays_AndNoLaterEventChangesThem()
    {
        var spec = SweepSpecs.WithTeachers("release", teachers: 3, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var started = Dispatch(ledger, T0);
        ledger.Finish(started[0], Outcome, T0);
        ledger.Fail(started[1], "boom", T0, TimeSpan.Zero);
        ledger.Written(ledger.TakeChanges());

        Assert.True(ledger.HoldsOnlyState(started[0]));
        Assert.False(ledger.HoldsOnlyState(started[1])); // queued again for its retry: its record is still changing
        Assert.False(ledger.HoldsOnlyState(started[2])); // running
        Assert.Equal(TrialState.Done, ledger.Page(TrialQuery.ById(started[0])).Trials[0].State);
        Assert.Equal((1, 1, 1), (ledger.Count(TrialState.Done), ledger.Count(TrialState.Running), ledger.Count(TrialState.Queued)));
        Assert.False(ledger.Holds(started[0], StartedReply.Silo));

        ledger.Started(started[0], StartedReply); // a start reply after its result
        Assert.False(ledger.Finish(started[0], Outcome, T0));

        Assert.False(ledger.HasChanges);
        Assert.True(ledger.HoldsOnlyState(started[0]));
    }

    [Fact]
    public void Unwritten_AfterALaterWriteStoredTheRecordWhole_LeavesItToTheStore()
    {
        // Two writes in flight: the first (the trial running) fails after the second (its result) landed.
        var spec = SweepSpecs.WithTeachers("overtaken", teachers: 1, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var trial = Dispatch(ledger, T0).Single();
        var first = ledger.TakeChanges();
        ledger.Finish(trial, Outcome, T0);
        var second = ledger.TakeChanges();
        ledger.Written(second);

        ledger.Unwritten(first);

        Assert.True(ledger.HoldsOnlyState(trial));
        Assert.DoesNotContain(ledger.TakeChanges().Records, r => r.Key == trial); // never the stand-in over the whole record
    }

    [Fact]
    public void Snapshot_CellsFromTheResultsKept_EqualTheCellsOfTheWholeOutcomes()
    {
        var spec = SweepSpecs.WithTeachers("cells", teachers: 4, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var started = Dispatch(ledger, T0);
        var outcomes = started.Select((id, i) => new TrialOutcome([new("accuracy", 0.5 + i / 10.0), new("f1", 0.4 + i / 20.0)], 0.5 - i / 100.0, 10, 0, 1, 100, 0)
        {
            FinalMetrics = [new("accuracy", 0.3), new("f1", 0.2)], Collapsed = i == 2, StoppedAtStep = i == 3 ? 5 : null,
            Curve = [new EvaluationPoint(10, [new("accuracy", 0.5)], false)],
        }).ToList();
        foreach (var (id, outcome) in started.Zip(outcomes)) ledger.Finish(id, outcome, T0);
        ledger.Written(ledger.TakeChanges());

        var whole = ResultCells.From(spec.Trials.Zip(outcomes).Select(p => (p.First, p.Second)), spec.Select);
        var kept = ledger.Snapshot("cells").Cells;

        Assert.Equal(Describe(whole), Describe(kept));
        Assert.Contains(kept, c => c.Collapsed == 1);

        static string Describe(IEnumerable<ResultCell> cells) => string.Join("\n", cells.Select(c =>
            $"{c.Row} keep {c.Keep}: {string.Join(", ", c.Metrics.Select(m => $"{m.Key} {m.Value.Mean:R}±{m.Value.Std:R} n{m.Value.N}"))}; achieved {c.AchievedKeep.Mean:R}; collapsed {c.Collapsed}; stopped {c.Stopped}; {string.Join(",", c.TrialIds)}"));
    }

    [Fact]
    public void NextBatch_StartsWhatTheSchedulerChooses_FromTheReadyTrialsOnly_WithinTheFreeSlots()
    {
        var spec = SweepSpecs.WithTeachers("scheduled", teachers: 3, studentsPerTeacher: 1) with { MaxConcurrentTrials = 2 };
        var scheduler = new LastFirst();
        var ledger = new SweepLedger(spec, new SweepState(), _ => null, scheduler);
        var teachers = spec.Trials.Where(t => t.Method == "dense").Select(t => t.Id).ToList();

        var first = ledger.NextBatch(T0, 64);

        // Students wait for their teachers, so only the teachers are ready; two slots under the sweep's limit.
        Assert.Equal(teachers, scheduler.Offered);
        Assert.Equal(2, scheduler.Slots);
        Assert.Equal([teachers[2], teachers[1]], first.Select(t => t.Id));
    }

[Fact]
    public void Written_KeepsAResultWhoseStartIsUnanswered_UntilTheReplySaysWhereItRan()
    {
        var spec = SweepSpecs.WithTeachers("late-reply", teachers: 1, studentsPerTeacher: 0);
        var ledger = Ledger(spec);
        var trial = ledger.NextBatch(T0, 1).Single().Id;
        ledger.Dispatching(trial, "sweep", T0);
        ledger.Finish(trial, Outcome, T0); // it finished before its start reply came
        ledger.Written(ledger.TakeChanges());

        Assert.False(ledger.HoldsOnlyState(trial));

        ledger.Started(trial, StartedReply);
        var changes = ledger.TakeChanges();
        ledger.Written(changes);

        Assert.Equal(StartedReply.Silo, changes.Records.Single().Value.Silo);
        Assert.True(ledger.HoldsOnlyState(trial));
    }

        /// <summary>Starts the last ready trials first: a scheduler that is not the grid's order.</summary>
    private sealed class LastFirst : ITrialScheduler
    {
        public List<string> Offered { get; } = [];

        public int Slots { get; private set; }

        public IReadOnlyList<TrialSpec> Choose(IEnumerable<TrialSpec> ready, int slots, FinishedResults results)
        {
            var all = ready.ToList();
            Slots = slots;
            Offered.Clear();
            Offered.AddRange(all.Select(t => t.Id));
            return all.AsEnumerable().Reverse().Take(slots).ToList();
        }
    }
}
