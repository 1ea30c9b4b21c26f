using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Metrics;
using Sweeps.Grains.Sweeps.Lifecycle;
using Sweeps.Grains.Sweeps.Scheduling;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// A sweep's bookkeeping as plain C#: every trial's record, and the index over them — the queue in grid order, counts,
/// heartbeats, teachers before their students, early stopping's rungs — with which trials to dispatch next and the
/// views built from them. What an event does to one trial is <see cref="TrialLifecycle"/>'s; the ledger hands each
/// event to it and carries out the effects. Time is passed in, nothing is awaited: <see cref="SweepGrain"/> is the
/// shell that brings messages, timers, persistence and the calls to other grains, and the rules are tested here without a silo.
/// </summary>
public sealed class SweepLedger
{
    /// <summary>
    /// What the ledger holds in place of a trial's record once the trial has a result and the store holds that record:
    /// its state alone, one shared object per state. A result is final, so no event changes such a trial again; reads
    /// of it take its record from the store (<see cref="HoldsOnlyState"/>). This keeps a sweep's memory to its index
    /// and its unfinished trials, whatever the number it finished.
    /// </summary>
    private static readonly IReadOnlyDictionary<TrialState, TrialRecord> StoredStandIns =
        new[] { TrialState.Done, TrialState.Reused, TrialState.Stopped }.ToDictionary(s => s, s => new TrialRecord { State = s });

    /// <summary>The record of every trial that has not had an event yet (queued, never started).</summary>
    private static readonly TrialRecord Unstarted = new() { State = TrialState.Queued };

    private readonly SweepState state;
    /// <summary>The sweep's trials in order: the spec's, then each proposed point's (<see cref="Spec"/>'s list, grown by <see cref="ProposeNext"/>).</summary>
    private readonly List<TrialSpec> trials;
    /// <summary>A model-based search's points (null for a grid), and the number its next point's records carry.</summary>
    private readonly SearchProposals? proposals;
    private int nextPoint;
    private readonly TrialLifecycle lifecycle;
    private readonly ITrialScheduler scheduler;
    private readonly Func<string, TrialOutcome?> storedOutcome;
    private readonly Dictionary<string, int> indexOf = [];
    /// <summary>Indices (grid order) of the queued trials, so a dispatch round does not scan finished ones.</summary>
    private readonly SortedSet<int> queued = [];
    private readonly Dictionary<TrialState, int> counts = Enum.GetValues<TrialState>().ToDictionary(s => s, _ => 0);
    private readonly Dictionary<string, TrialProgressReport> progress = [];
    private readonly Dictionary<string, DateTimeOffset> heartbeats = [];
    /// <summary>Trials that ended since the last dispatch round: their slots are freed in the capacity view before it reserves more.</summary>
    private readonly List<string> ended = [];
    private readonly List<TrialTransition> transitions = [];
    /// <summary>Every trial with a result, in the order they got it (a result is final): what the metrics publish, never rebuilt.</summary>
    private readonly FinishedResults results;
    private int collapsed;
    /// <summary>Early stopping's rule (null without early_stopping), the trials it asked to stop, and those not yet told.</summary>
    private readonly AshaRule? asha;
    /// <summary>Dense trials other trials distil from: never stopped early, or their students would learn from a truncated teacher.</summary>
    private readonly HashSet<string> teachers = [];
    private readonly HashSet<string> stopping = [];
    private readonly List<string> stops = [];
    /// <summary>What changed since the store last took it: trials whose records changed, new evaluations, the cancellation.</summary>
    private readonly HashSet<string> changedTrials = [];
    private readonly List<KeyValuePair<string, EvaluationPoint>> newEvaluations = [];
    private bool cancellationChanged;

    /// <param name="storedOutcome">The result the artefact store holds for a trial id, if any (a trial finished by any sweep).</param>
    /// <param name="scheduler">Which ready trials start next (default: <see cref="GridOrder"/>).</param>
    public SweepLedger(SweepSpec spec, SweepState state, Func<string, TrialOutcome?> storedOutcome, ITrialScheduler? scheduler = null)
    {
        // A model-based search's trials are its points', rebuilt from their stored records in the order proposed; the
        // list grows by a point's trials with each proposal (every read of the spec sees them).
        trials = [.. spec.Trials];
        if (spec.Search is { } search)
        {
            proposals = new SearchProposals(search, spec.Select);
            var known = trials.Select(t => t.Id).ToHashSet();
            foreach (var point in state.Trials.Values.Where(r => r is { Point: not null, Sampled: not null }).GroupBy(r => r.Point!.Value).OrderBy(g => g.Key))
            {
                trials.AddRange(proposals.Restore(point.First().Sampled!).Where(t => known.Add(t.Id)));
                // Numbered past every stored point, so a point whose records were lost leaves a gap, never a number used twice.
                nextPoint = point.Key + 1;
            }
        }
        Spec = spec with { Trials = trials };
        this.scheduler = scheduler ?? GridOrder.Instance;
        this.state = state;
        lifecycle = new TrialLifecycle(spec.RetryLimit);
        results = new FinishedResults(trials);
        // A result cut short by early stopping is a result only for a sweep that stops early; others train the trial to its end.
        this.storedOutcome = spec.EarlyStopping is null ? id => storedOutcome(id) is { StoppedAtStep: null } full ? full : null : storedOutcome;
        for (var i = 0; i < trials.Count; i++) indexOf[trials[i].Id] = i;
        // A trial with no stored record is queued (not written: a sweep of any size is submitted without writing a
        // record per trial), all of them sharing one record until their first event (the lifecycle never changes the
        // record it is given). Whether a result already stored is reused is decided once, at submission. Keyed by the
        // spec's id strings: the store's decoded keys would be a second copy of each.
        state.Trials = trials.ToDictionary(t => t.Id, t => state.Trials.GetValueOrDefault(t.Id) ?? Unstarted);
        foreach (var (id, record) in state.Trials)
        {
            counts[record.State]++;
            if (record.State == TrialState.Queued) queued.Add(indexOf[id]);
            if (record.State is TrialState.Failed or TrialState.Cancelled) proposals?.Failed(id);
        }
        foreach (var trial in trials)
            if (state.Trials[trial.Id] is { Outcome: { } outcome } record && record.State.HasResult()) Resulted(trial, outcome);
        if (spec.EarlyStopping is { } early)
        {
            teachers.UnionWith(trials.Select(t => t.Distillation?.TeacherTrialId).OfType<string>());
            // The rule's rungs are soft state: rebuilt from the curves, in step order (the arrival order is not kept).
            // A search for the front of a metric against the keep fraction ranks its trials on that front.
            asha = new AshaRule(early, front: spec.Search?.ObjectivesOrDefault.Any(o => o.Keep) == true);
            foreach (var (trial, point) in trials.SelectMany(t => CurveOf(state.Trials[t.Id]).Select(p => (t, p))).OrderBy(x => x.p.Step))
                asha.ShouldStop(trial, point);
        }
    }

    public SweepSpec Spec { get; }

    /// <summary>Every result so far, as the result cells read them.</summary>
    public FinishedResults Results => results;

    public bool Cancelled => state.Cancelled;

    /// <summary>No trial is queued or running, and a search has no point left to propose.</summary>
    public bool IsFinished => counts[TrialState.Queued] + counts[TrialState.Running] == 0 && (state.Cancelled || proposals is not { HasMore: true });

    /// <summary>The sweep's trials once every point of a search is proposed (a grid's: its trials).</summary>
    public int PlannedTrials => proposals is null || state.Cancelled ? trials.Count : proposals.PlannedTrials(trials.Count);

    /// <summary>A model-based search has points left to propose, and the sweep's limit leaves room for one to run.</summary>
    public bool CanPropose => proposals is { HasMore: true } && !state.Cancelled
        && (Spec.MaxConcurrentTrials == 0 || counts[TrialState.Running] < Spec.MaxConcurrentTrials);

    /// <summary>
    /// A model-based search proposes its next point when the dispatcher has nothing ready to start and the sweep's
    /// limit leaves room: the point's trials join the queue (their records, with the point's values, are written with
    /// the next changes). False when there is no point to propose now.
    /// </summary>
    public bool ProposeNext()
    {
        if (!CanPropose || proposals is null) return false;
        var index = proposals.Count;
        if (proposals.Propose() is not { } point) return false;
        var values = new Dictionary<string, double>(proposals.ValuesOf(index));
        var number = nextPoint++;
        foreach (var trial in point.Where(t => !indexOf.ContainsKey(t.Id)))
        {
            trials.Add(trial);
            indexOf[trial.Id] = trials.Count - 1;
            state.Trials[trial.Id] = new TrialRecord { State = TrialState.Queued, Point = number, Sampled = values };
            counts[TrialState.Queued]++;
            queued.Add(trials.Count - 1);
            changedTrials.Add(trial.Id);
            if (trial.Distillation?.TeacherTrialId is { } teacher) teachers.Add(teacher);
        }
        return true;
    }

    public int Count(TrialState kind) => counts[kind];

    /// <summary>Something changed since the shell last took the changes to write them.</summary>
    public bool HasChanges => changedTrials.Count > 0 || newEvaluations.Count > 0 || cancellationChanged;

    /// <summary>What changed since the last call (the store writes these records whole and appends these evaluations).</summary>
    public LedgerChanges TakeChanges()
    {
        var changes = new LedgerChanges(changedTrials.Select(id => new KeyValuePair<string, TrialRecord>(id, state.Trials[id])).ToList(),
            newEvaluations.ToList(), cancellationChanged);
        changedTrials.Clear();
        newEvaluations.Clear();
        cancellationChanged = false;
        return changes;
    }

    /// <summary>
    /// Changes taken whose write failed: written with the next (records as they are by then, evaluations before newer
    /// ones). A record let go meanwhile is not: a later write stored it whole (see <see cref="Written"/>), and the ledger
    /// holds only its state.
    /// </summary>
    public void Unwritten(LedgerChanges changes)
    {
        changedTrials.UnionWith(changes.Records.Select(r => r.Key).Where(id => !HoldsOnlyState(state.Trials[id])));
        newEvaluations.InsertRange(0, changes.Evaluations);
        cancellationChanged |= changes.Cancelled;
    }

    /// <summary>
    /// The store now holds these changes: a record with a result that has not changed since is let go (its trial's
    /// state stays; its record is read from the store when asked for). One whose last start is still unanswered (a
    /// trial that finished before its start reply came) is kept until the reply has said where it ran.
    /// </summary>
    public void Written(LedgerChanges changes)
    {
        foreach (var (id, record) in changes.Records)
            if (record.State.HasResult() && record.History is not [.., { Silo: null }] && ReferenceEquals(state.Trials[id], record))
                state.Trials[id] = StoredStandIns[record.State];
    }

    /// <summary>The records of trials with results, all read from the store on activation, are let go (see <see cref="Written"/>).</summary>
    public void ReleaseStoredResults()
    {
        foreach (var (id, record) in state.Trials.Where(t => t.Value.State.HasResult() && !HoldsOnlyState(t.Value)).ToList())
            state.Trials[id] = StoredStandIns[record.State];
    }

    /// <summary>True when the ledger holds only this trial's state, its record being in the store (see <see cref="Written"/>).</summary>
    public bool HoldsOnlyState(string trialId) => state.Trials.TryGetValue(trialId, out var record) && HoldsOnlyState(record);

    /// <summary>Every record and curve point counts as changed (a sweep moved from the whole-document store writes everything once).</summary>
    public void ChangeEverything()
    {
        changedTrials.UnionWith(state.Trials.Keys);
        newEvaluations.AddRange(state.Trials.SelectMany(t => t.Value.Curve.Select(p => new KeyValuePair<string, EvaluationPoint>(t.Key, p))));
        cancellationChanged = state.Cancelled;
    }

    /// <summary>The queued trials, in grid order (at submission: every trial, whose stored results are then looked for).</summary>
    public IReadOnlyList<string> QueuedTrialIds() => queued.Select(index => Spec.Trials[index].Id).ToList();

    /// <summary>
    /// The results the artefact store holds for these trials, looked up on every core. It reads the store and nothing
    /// of the ledger, so it may run off the grain's turn while reads of the sweep are answered.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, TrialOutcome>> FindStoredResults(IReadOnlyList<string> trialIds) =>
        trialIds.AsParallel().AsOrdered()
            .Select(id => (Id: id, Outcome: storedOutcome(id)))
            .Where(found => found.Outcome is not null)
            .Select(found => new KeyValuePair<string, TrialOutcome>(found.Id, found.Outcome!)).ToList();

    /// <summary>
    /// At submission: queued trials whose results the artefact store already holds (another sweep ran them, see
    /// <see cref="FindStoredResults"/>) are reused, and that is written. (After a restart a stored result settles a
    /// queued trial as done instead: see <see cref="Recover"/>.)
    /// </summary>
    public void ReuseStoredResults(IEnumerable<KeyValuePair<string, TrialOutcome>> found)
    {
        foreach (var (id, outcome) in found) Apply(id, new TrialEvent.ResultFound(outcome, Reused: true), default);
    }

    /// <summary>
    /// After the sweep is activated anew: a trial the artefact store has a result for is done (it finished while the
    /// last state write was pending); a running one is queued again (a live trial answers where it runs; a lost one is
    /// placed anew and resumes from its checkpoint).
    /// </summary>
    public void Recover(DateTimeOffset now)
    {
        foreach (var id in state.Trials.Where(t => !t.Value.State.IsFinal()).Select(t => t.Key).ToList())
        {
            if (storedOutcome(id) is { } outcome) Apply(id, new TrialEvent.ResultFound(outcome, Reused: false), now);
            else Apply(id, new TrialEvent.SweepRestarted(), now);
        }
    }

    /// <summary>Progress of a running trial: its heartbeat; dev evaluations not seen before join the trial's curve.</summary>
    public void Heartbeat(string trialId, TrialProgressReport report, DateTimeOffset now)
    {
        if (!state.Trials.TryGetValue(trialId, out var record) || record.State != TrialState.Running) return;
        progress[trialId] = report;
        heartbeats[trialId] = now;
        foreach (var point in report.Evaluations.Where(e => record.Curve.All(c => c.Step != e.Step)))
        {
            record.Curve.Add(point);
            newEvaluations.Add(new(trialId, point));
            if (asha is not null && !teachers.Contains(trialId) && asha.ShouldStop(SpecOf(trialId), point) && stopping.Add(trialId)) stops.Add(trialId);
        }
    }

    /// <summary>
    /// True while the trial may run on <paramref name="silo"/> as far as the sweep knows: running there; being started
    /// or queued after a start call whose answer was lost (no silo known: the copy that did start is not to be stopped);
    /// or queued by a recovery that will ask it again (its attempt there still open). False once the sweep gave the
    /// attempt up (its heartbeats stopped: re-queued with the attempt ended), finished the trial, or knows it elsewhere.
    /// </summary>
    public bool Holds(string trialId, string silo)
    {
        if (!state.Trials.TryGetValue(trialId, out var record)) return false;
        return record.State switch
        {
            TrialState.Running => record.Silo is null || record.Silo == silo,
            TrialState.Queued => record.Silo is null || (record.Silo == silo && record.History is [.., { Ending: null }]),
            _ => false,
        };
    }

    /// <summary>Records a result once; false when the trial is unknown or already final.</summary>
    public bool Finish(string trialId, TrialOutcome outcome, DateTimeOffset now)
    {
        if (!state.Trials.ContainsKey(trialId)) return false;
        return !Apply(trialId, new TrialEvent.Finished(outcome, StoppedByRule: stopping.Contains(trialId)), now).Ignored;
    }

    /// <summary>
    /// A failed attempt (the trial's error, a crash, out of memory, hung): queued again after a back-off that doubles with
    /// each failure (up to <see cref="TrialLifecycle.MaxBackoff"/>), or, past the retry limit, failed together with the
    /// students waiting for it. Null when the trial is unknown or final, or the report is of a replaced attempt.
    /// </summary>
    /// <param name="attempt">The attempt that failed; a report of an attempt the sweep has since replaced is ignored (null: the current one).</param>
    public FailureDecision? Fail(string trialId, string reason, DateTimeOffset now, TimeSpan backoff, AttemptFault fault = AttemptFault.Failed, int? attempt = null)
    {
        if (!state.Trials.ContainsKey(trialId)) return null;
        var step = Apply(trialId, new TrialEvent.Failed(attempt, reason, fault, backoff), now);
        if (step.Ignored) return null;
        var record = step.Record;
        return new FailureDecision(record.Failures, GaveUp: record.State == TrialState.Failed, record.NotBefore);
    }

    /// <summary>An attempt stopped before finishing: queued again, or cancelled with its sweep.</summary>
    /// <param name="attempt">The attempt that stopped; a report of an attempt the sweep has since replaced is ignored (null: the current one).</param>
    public bool Interrupt(string trialId, DateTimeOffset now, int? attempt = null)
    {
        if (!state.Trials.ContainsKey(trialId)) return false;
        return !Apply(trialId, new TrialEvent.Interrupted(attempt, state.Cancelled), now).Ignored;
    }

    /// <summary>Marks the sweep and every unfinished trial cancelled; returns the trials that were running (to be stopped).</summary>
    public IReadOnlyList<string> Cancel(DateTimeOffset now)
    {
        state.Cancelled = true;
        cancellationChanged = true;
        var running = new List<string>();
        foreach (var id in state.Trials.Where(t => !t.Value.State.IsFinal()).Select(t => t.Key).ToList())
            if (Apply(id, new TrialEvent.Cancelled(), now).Effects.OfType<TrialEffect.StopAttempt>().Any()) running.Add(id);
        return running;
    }

    /// <summary>
    /// Running trials silent for longer than <paramref name="timeout"/> are presumed lost with their silo and queued
    /// again (they resume from their checkpoint elsewhere); returns them with the silo they were on. A trial's clock
    /// starts when it is dispatched.
    /// </summary>
    public IReadOnlyList<(string TrialId, string? Silo)> ExpireHeartbeats(DateTimeOffset now, TimeSpan timeout)
    {
        var expired = new List<(string, string?)>();
        foreach (var (id, last) in heartbeats.Where(h => now - h.Value > timeout).ToList())
        {
            var silo = state.Trials[id].Silo;
            if (!Apply(id, new TrialEvent.HeartbeatsStopped(timeout), now).Ignored) expired.Add((id, silo));
        }
        return expired;
    }

    /// <summary>
    /// The next trials to dispatch: at most <paramref name="batch"/> and within the sweep's concurrency limit, chosen
    /// by the sweep's <see cref="ITrialScheduler"/> from the ready ones (see <see cref="Ready"/>).
    /// </summary>
    public IReadOnlyList<TrialSpec> NextBatch(DateTimeOffset now, int batch)
    {
        if (state.Cancelled) return [];
        var room = Spec.MaxConcurrentTrials > 0 ? Spec.MaxConcurrentTrials - counts[TrialState.Running] : batch;
        var slots = Math.Clamp(room, 0, batch);
        return slots == 0 ? [] : scheduler.Choose(Ready(now), slots, results);
    }

    /// <summary>
    /// The trials that may start now, in grid order, as they are read: queued, past their back-off, with their
    /// teacher's result in hand. On the way, a trial the store already has a result for is settled, and a student
    /// whose teacher failed or was cancelled fails.
    /// </summary>
    private IEnumerable<TrialSpec> Ready(DateTimeOffset now)
    {
        // A copy: settling a trial removes it from the queue.
        foreach (var index in queued.ToArray())
        {
            var trial = Spec.Trials[index];
            var record = state.Trials[trial.Id];
            if (record.State != TrialState.Queued || record.NotBefore > now || !TeacherReady(trial, now)) continue;
            if (storedOutcome(trial.Id) is { } outcome)
            {
                Apply(trial.Id, new TrialEvent.ResultFound(outcome, Reused: false), now);
                continue;
            }
            yield return trial;
        }
    }

    /// <summary>
    /// The trial is about to be started: it counts as running from the moment the request leaves, so a report from a
    /// trial that finishes before its start reply arrives is taken as it should be.
    /// </summary>
    public TrialAssignment Dispatching(string trialId, string sweepId, DateTimeOffset now)
    {
        var record = Apply(trialId, new TrialEvent.Dispatched(), now).Record;
        return new TrialAssignment(sweepId, SpecOf(trialId), record.Attempts)
        {
            AcceptsStopped = Spec.EarlyStopping is not null, MemoryCapBytes = Spec.Resources.MemoryBytes,
        };
    }

    /// <summary>The silo refused the start (no free slot) or could not be reached: the trial is queued again, the attempt uncounted.</summary>
    public void StartRefused(string trialId) => Apply(trialId, new TrialEvent.StartRefused(), default);

    /// <summary>The trial runs on the silo and device of <paramref name="reply"/> (a new attempt, or one that was already running there).</summary>
    public void Started(string trialId, TrialStartReply reply) =>
        Apply(trialId, new TrialEvent.Started(reply.Silo, reply.Device, reply.AlreadyRunning), default);

    /// <summary>The trials early stopping ended since the last call (to be told to stop; they report their result as usual).</summary>
    public IReadOnlyList<string> TakeStops() => Take(stops);

    /// <summary>The trials that ended since the last call (their capacity reservations are to be freed).</summary>
    public IReadOnlyList<string> TakeEnded() => Take(ended);

    /// <summary>The transitions since the last call, for the metrics.</summary>
    public IReadOnlyList<TrialTransition> TakeTransitions() => Take(transitions);

    public SweepStatus Status(string sweepId, DateTimeOffset submittedAt) =>
        new(sweepId, Spec.Name, submittedAt, state.Cancelled, Spec.Trials.Select(t => StatusOf(t.Id)).ToList(), Spec.Select) { Unproposed = PlannedTrials - trials.Count, Objectives = Spec.Search?.Objectives };

    /// <summary>Trials by state.</summary>
    public Dictionary<TrialState, int> CountsByState() => new(counts);

    /// <summary>Finished trials whose selected evaluation predicted one class.</summary>
    public int CollapsedCount() => collapsed;

    /// <summary>
    /// Counts by state, the running trials, the first failures and the first retries: cheap for sweeps of any size (the
    /// lists pass over the records once without copying them, stopping when they are full).
    /// </summary>
    public SweepProgress Progress(string sweepId)
    {
        var running = heartbeats.Keys.Where(id => state.Trials[id].State == TrialState.Running).Select(id => StatusOf(id, details: false)).ToList();
        var failures = new List<TrialStatus>();
        var retrying = new List<TrialStatus>();
        var failed = counts.GetValueOrDefault(TrialState.Failed);
        foreach (var (id, record) in state.Trials)
        {
            if (failures.Count == Math.Min(failed, SweepProgress.ListedTrials) && retrying.Count == SweepProgress.ListedTrials) break;
            if (record.State == TrialState.Failed) { if (failures.Count < SweepProgress.ListedTrials) failures.Add(StatusOf(id, details: false)); }
            else if (record.Error is not null && record.State is (TrialState.Queued or TrialState.Running) && retrying.Count < SweepProgress.ListedTrials) retrying.Add(StatusOf(id, details: false));
        }
        return new SweepProgress(sweepId, Spec.Name, PlannedTrials, new Dictionary<TrialState, int>(counts), running, failures, Spec.Select, collapsed, state.Cancelled)
        {
            Retrying = retrying,
        };
    }

    /// <summary>
    /// A page of trials in grid order. Unfiltered and by id it reads only the page; filtered by state it passes over
    /// the records once (no copy), which at 100,000 trials is a millisecond.
    /// </summary>
    public TrialListing Page(TrialQuery query)
    {
        var offset = Math.Max(query.Offset, 0);
        var limit = Math.Clamp(query.Limit, 0, TrialQuery.MaxLimit);
        if (query.Ids is { } ids)
        {
            var named = ids.Where(indexOf.ContainsKey).Distinct().OrderBy(id => indexOf[id]).ToList();
            return new TrialListing(named.Count, offset, named.Skip(offset).Take(limit).Select(id => StatusOf(id)).ToList());
        }
        if (query.States is not { } states)
        {
            var page = Spec.Trials.Skip(offset).Take(limit).Select(t => StatusOf(t.Id)).ToList();
            return new TrialListing(Spec.Trials.Count, offset, page);
        }
        var wanted = states.ToHashSet();
        var matching = 0;
        var trials = new List<TrialStatus>();
        foreach (var trial in Spec.Trials)
        {
            if (!wanted.Contains(state.Trials[trial.Id].State)) continue;
            if (matching >= offset && trials.Count < limit) trials.Add(StatusOf(trial.Id));
            matching++;
        }
        return new TrialListing(matching, offset, trials);
    }

    /// <summary>What the metrics publish of this sweep: counts and every finished trial's outcome.</summary>
    public SweepSnapshot Snapshot(string sweepId)
    {
        return new SweepSnapshot(sweepId, new Dictionary<TrialState, int>(counts), counts[TrialState.Queued], () => results.Cells(Spec.Select));
    }

    /// <param name="details">With its curve and attempts (a summary leaves them out).</param>
    private TrialStatus StatusOf(string id, bool details = true) => StatusOf(SpecOf(id), state.Trials[id], progress.GetValueOrDefault(id), details);

    /// <summary>A trial's status from its record (held, or read from the store for a trial the ledger holds only the state of).</summary>
    public static TrialStatus StatusOf(TrialSpec spec, TrialRecord r, TrialProgressReport? progress = null, bool details = true)
    {
        var status = new TrialStatus(spec, r.State, r.Attempts, r.Silo, r.Device, progress, r.Outcome, r.Error);
        return details ? status with { Curve = CurveOf(r), History = r.History.ToList() } : status;
    }

    /// <summary>A student may start once its teacher has a result; it fails when its teacher failed or was cancelled.</summary>
    private bool TeacherReady(TrialSpec trial, DateTimeOffset now)
    {
        if (trial.Distillation?.TeacherTrialId is not { } teacherId) return true;
        if (!state.Trials.TryGetValue(teacherId, out var teacher)) return storedOutcome(teacherId) is not null;
        if (teacher.State is TrialState.Failed or TrialState.Cancelled)
        {
            Apply(trial.Id, new TrialEvent.TeacherLost(teacherId, teacher.State), now);
            return false;
        }
        return teacher.State.HasResult();
    }

    /// <summary>
    /// Hands one event to the lifecycle: the trial's new record replaces the old, the index follows its state, and
    /// the step's effects are carried out (the slots of ended attempts are freed by the dispatcher from <see cref="TakeEnded"/>).
    /// </summary>
    private TrialStep Apply(string trialId, TrialEvent happened, DateTimeOffset now)
    {
        var before = state.Trials[trialId];
        // A stored result is final: what would still change it (a start reply arriving after the result) is of no account.
        if (HoldsOnlyState(before)) return TrialStep.Unchanged(before);
        var step = lifecycle.Apply(before, happened, now);
        if (step.Ignored) return step;
        state.Trials[trialId] = step.Record;
        changedTrials.Add(trialId);
        Reindex(trialId, before.State, step.Record.State, now);
        if (!before.State.HasResult() && step.Record.State.HasResult() && step.Record.Outcome is { } outcome) Resulted(SpecOf(trialId), outcome);
        foreach (var effect in step.Effects)
        {
            switch (effect)
            {
                case TrialEffect.FreeSlot: ended.Add(trialId); break;
                case TrialEffect.Count count: transitions.Add(count.Transition); break;
                case TrialEffect.FailStudents:
                    foreach (var student in Spec.Trials.Where(t => t.Distillation?.TeacherTrialId == trialId))
                        Apply(student.Id, new TrialEvent.TeacherLost(trialId, step.Record.State), now);
                    break;
                case TrialEffect.StopAttempt: break; // the caller tells the trial (see Cancel)
            }
        }
        return step;
    }

    private void Resulted(TrialSpec trial, TrialOutcome outcome)
    {
        results.Add(indexOf[trial.Id], outcome);
        proposals?.Resulted(trial.Id, outcome);
        if (outcome.SelectedCollapsed(Spec.Select)) collapsed++;
    }

    /// <summary>Keeps the queue, the counts and the running trials' heartbeat clocks in step with a trial's change of state.</summary>
    private void Reindex(string trialId, TrialState from, TrialState to, DateTimeOffset now)
    {
        if (from == to) return;
        counts[from]--;
        counts[to]++;
        if (from == TrialState.Queued) queued.Remove(indexOf[trialId]);
        if (to is TrialState.Failed or TrialState.Cancelled) proposals?.Failed(trialId);
        if (to == TrialState.Queued) queued.Add(indexOf[trialId]);
        if (to == TrialState.Running) heartbeats[trialId] = now; // its clock starts when it is sent
        if (from == TrialState.Running)
        {
            stopping.Remove(trialId);
            progress.Remove(trialId);
            heartbeats.Remove(trialId);
        }
    }

    /// <summary>A finished trial's outcome holds its whole curve; an unfinished one's is what its heartbeats brought.</summary>
    private static IReadOnlyList<EvaluationPoint> CurveOf(TrialRecord record) =>
        record.Outcome is { Curve.Count: > 0 } outcome ? outcome.Curve : record.Curve.OrderBy(c => c.Step).ToList();

    private TrialSpec SpecOf(string trialId) => Spec.Trials[indexOf[trialId]];

    private static bool HoldsOnlyState(TrialRecord record) =>
        StoredStandIns.TryGetValue(record.State, out var standIn) && ReferenceEquals(record, standIn);

    private static IReadOnlyList<T> Take<T>(List<T> items)
    {
        var taken = items.ToList();
        items.Clear();
        return taken;
    }
}

/// <summary>The trial records that changed (written whole), the evaluations reported since the last write, and whether the sweep was cancelled.</summary>
public sealed record LedgerChanges(
    IReadOnlyList<KeyValuePair<string, TrialRecord>> Records, IReadOnlyList<KeyValuePair<string, EvaluationPoint>> Evaluations, bool Cancelled);

/// <summary>What became of a failed attempt: retried after <paramref name="NotBefore"/>, or given up (past the retry limit).</summary>
public sealed record FailureDecision(int Failures, bool GaveUp, DateTimeOffset? NotBefore);
