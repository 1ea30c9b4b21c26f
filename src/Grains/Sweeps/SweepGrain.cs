using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Metrics;
using Sweeps.Grains.Placement;
using Sweeps.Grains.Trials;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// One sweep. Keeps the spec and every trial's record durably; dispatches queued trials (teachers before their
/// students, retries after their back-off) whenever the capacity view has a free slot of the sweep's pool; records
/// each result once; re-queues trials whose heartbeats stop (their silo is gone: they resume from their checkpoint
/// elsewhere). A reminder wakes the sweep after a restart of the cluster until every trial is final.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("spec", SweepGrain.StorageName)] IPersistentState<SweepDefinition> definition,
    [PersistentState("trials", SweepGrain.StorageName)] IPersistentState<SweepState> state,
    TrialArtifactStore store, SweepsMetrics metrics, IOptions<SweepsOptions> options, ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    public const string StorageName = "sweeps";
    private const string ReminderName = "sweep-check";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private const int DispatchBatch = 64;

    private readonly Dictionary<string, TrialSpec> specs = [];
    private readonly Dictionary<string, int> indexOf = [];
    /// <summary>Indices (grid order) of the queued trials, so a dispatch round does not scan finished ones.</summary>
    private readonly SortedSet<int> queued = [];
    private readonly Dictionary<TrialState, int> counts = Enum.GetValues<TrialState>().ToDictionary(s => s, _ => 0);
    private readonly Dictionary<string, TrialProgressReport> progress = [];
    private readonly Dictionary<string, DateTime> heartbeats = [];
    private IGrainTimer? checkTimer;
    private bool pumping, pumpAgain;
    /// <summary>Trials that ended since the last dispatch round: their slots are freed in the capacity view before it reserves more.</summary>
    private readonly List<string> ended = [];
    private bool dirty;
    private DateTime lastWrite;

    private string SweepId => this.GetPrimaryKeyString();
    private SweepsOptions Settings => options.Value;
    private ICapacityGrain Capacity => GrainFactory.GetGrain<ICapacityGrain>(0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (definition.State.Spec is not { } spec) return;
        Index(spec);
        Reindex();
        foreach (var (id, record) in state.State.Trials)
        {
            if (record.State.IsFinal()) continue;
            if (store.TryGetResult(id) is { } result)
            {
                // Finished while this sweep's last state write was pending: the artefact store has the result.
                SetState(id, record, TrialState.Done);
                record.Outcome = TrialOutcomes.From(result);
                dirty = true;
            }
            else if (record.State == TrialState.Running)
            {
                // Ask again: a live trial answers where it runs; a lost one is placed anew and resumes from its checkpoint.
                SetState(id, record, TrialState.Queued);
                dirty = true;
            }
        }
        if (!IsFinished()) StartChecking();
        Publish();
        await SaveSoon();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(SweepId);
        if (dirty) await Save();
    }

    public async Task<SweepStatus> Submit(SweepSpec spec)
    {
        if (definition.State.Spec is null)
        {
            definition.State.Spec = spec;
            definition.State.SubmittedAt = DateTimeOffset.UtcNow;
            Index(spec);
            foreach (var trial in spec.Trials)
            {
                if (state.State.Trials.ContainsKey(trial.Id)) continue;
                var result = store.TryGetResult(trial.Id);
                state.State.Trials[trial.Id] = result is null
                    ? new TrialRecord { State = TrialState.Queued }
                    : new TrialRecord { State = TrialState.Reused, Outcome = TrialOutcomes.From(result) };
            }
            Reindex();
            await definition.WriteStateAsync();
            await Save();
            await GrainFactory.GetGrain<ISweepCatalogGrain>(0).Add(new SweepSummary(SweepId, spec.Name, definition.State.SubmittedAt, spec.Trials.Count));
            foreach (var _ in state.State.Trials.Values.Where(t => t.State == TrialState.Reused)) metrics.Transition(SweepId, "reused");
            logger.LogInformation("Sweep {Sweep} submitted: {Trials} trials, {Reused} reused", SweepId, spec.Trials.Count,
                counts[TrialState.Reused]);
        }
        if (!IsFinished())
        {
            StartChecking();
            await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            RequestPump();
        }
        Publish();
        return Status();
    }

    public Task<SweepProgress?> GetProgress()
    {
        if (definition.State.Spec is not { } spec) return Task.FromResult<SweepProgress?>(null);
        TrialStatus StatusOf(string id)
        {
            var r = state.State.Trials[id];
            return new TrialStatus(specs[id], r.State, r.Starts, r.Silo, r.Device, progress.GetValueOrDefault(id), r.Outcome, r.Error);
        }
        var running = heartbeats.Keys.Where(id => state.State.Trials[id].State == TrialState.Running).Select(StatusOf).ToList();
        var failures = state.State.Trials.Where(t => t.Value.State == TrialState.Failed).Take(20).Select(t => StatusOf(t.Key)).ToList();
        return Task.FromResult<SweepProgress?>(new SweepProgress(SweepId, spec.Name, spec.Trials.Count, new Dictionary<TrialState, int>(counts), running, failures));
    }

    public Task<SweepStatus?> GetStatus() => Task.FromResult(definition.State.Spec is null ? null : Status());

    public async Task Cancel()
    {
        if (definition.State.Spec is null) return;
        state.State.Cancelled = true;
        foreach (var (id, record) in state.State.Trials)
        {
            if (record.State.IsFinal()) continue;
            if (record.State == TrialState.Running)
            {
                try
                {
                    await GrainFactory.GetGrain<ITrialGrain>(id).Cancel();
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Could not reach trial {Trial} to cancel it", id);
                }
            }
            SetState(id, record, TrialState.Cancelled);
            metrics.Transition(SweepId, "cancelled");
        }
        Publish();
        await Save();
    }

    public Task ReportProgress(string trialId, TrialProgressReport report)
    {
        if (state.State.Trials.TryGetValue(trialId, out var record) && record.State == TrialState.Running)
        {
            progress[trialId] = report;
            heartbeats[trialId] = DateTime.UtcNow;
        }
        return Task.CompletedTask;
    }

    public async Task ReportFinished(string trialId, TrialOutcome outcome)
    {
        if (!state.State.Trials.TryGetValue(trialId, out var record) || record.State.IsFinal()) return; // once per trial
        SetState(trialId, record, TrialState.Done);
        record.Outcome = outcome;
        record.Error = null;
        metrics.Transition(SweepId, "done");
        Forget(trialId);
        await SaveSoon();
        RequestPump();
    }

    public async Task ReportFailed(string trialId, string reason)
    {
        if (!state.State.Trials.TryGetValue(trialId, out var record) || record.State.IsFinal()) return;
        record.Failures++;
        record.Error = reason;
        Forget(trialId);
        if (record.Failures > definition.State.Spec!.RetryLimit)
        {
            logger.LogWarning("Trial {Trial} failed {Failures} times; giving up: {Reason}", trialId, record.Failures, reason);
            SetState(trialId, record, TrialState.Failed);
            metrics.Transition(SweepId, "failed");
            FailStudentsOf(trialId);
        }
        else
        {
            var delay = Settings.RetryBackoff * Math.Pow(2, record.Failures - 1);
            SetState(trialId, record, TrialState.Queued);
            record.NotBefore = DateTimeOffset.UtcNow + (delay < MaxBackoff ? delay : MaxBackoff);
            metrics.Transition(SweepId, "retried");
        }
        await SaveSoon();
        RequestPump();
    }

    public async Task ReportInterrupted(string trialId)
    {
        if (!state.State.Trials.TryGetValue(trialId, out var record) || record.State.IsFinal()) return;
        SetState(trialId, record, state.State.Cancelled ? TrialState.Cancelled : TrialState.Queued);
        metrics.Transition(SweepId, state.State.Cancelled ? "cancelled" : "requeued");
        Forget(trialId);
        await SaveSoon();
        RequestPump();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation already re-queued what was running; a finished sweep needs its reminder no more.
        if (definition.State.Spec is null || IsFinished()) await StopReminder();
        else await Check();
    }

    private void Index(SweepSpec spec)
    {
        for (var i = 0; i < spec.Trials.Count; i++)
        {
            specs[spec.Trials[i].Id] = spec.Trials[i];
            indexOf[spec.Trials[i].Id] = i;
        }
    }

    /// <summary>Rebuilds the queue index and the per-state counts from the records.</summary>
    private void Reindex()
    {
        queued.Clear();
        foreach (var kind in counts.Keys) counts[kind] = 0;
        foreach (var (id, record) in state.State.Trials)
        {
            counts[record.State]++;
            if (record.State == TrialState.Queued) queued.Add(indexOf[id]);
        }
    }

    /// <summary>Every state change goes through here, keeping the queue index and the counts in step.</summary>
    private void SetState(string trialId, TrialRecord record, TrialState next)
    {
        if (record.State == next) return;
        counts[record.State]--;
        counts[next]++;
        if (record.State == TrialState.Queued) queued.Remove(indexOf[trialId]);
        if (next == TrialState.Queued) queued.Add(indexOf[trialId]);
        record.State = next;
    }

    private void StartChecking() =>
        checkTimer ??= this.RegisterGrainTimer(Check, new GrainTimerCreationOptions(Settings.SweepCheckInterval, Settings.SweepCheckInterval) { KeepAlive = true });

    private async Task Check()
    {
        var now = DateTime.UtcNow;
        foreach (var (id, record) in state.State.Trials)
        {
            if (record.State != TrialState.Running) continue;
            var last = heartbeats.GetValueOrDefault(id, now);
            heartbeats[id] = last;
            if (now - last <= Settings.HeartbeatTimeout) continue;
            logger.LogWarning("Trial {Trial} on {Silo} sent no heartbeat for {Timeout}; re-queued", id, record.Silo, Settings.HeartbeatTimeout);
            SetState(id, record, TrialState.Queued);
            record.Error = $"no heartbeat from {record.Silo} for {Settings.HeartbeatTimeout.TotalSeconds:0} s; resumed elsewhere";
            metrics.Transition(SweepId, "requeued");
            Forget(id);
            await Capacity.Release(id);
            dirty = true;
        }
        RequestPump();
        if (dirty && DateTime.UtcNow - lastWrite > SaveInterval) await Save();
        if (IsFinished())
        {
            checkTimer?.Dispose();
            checkTimer = null;
            await StopReminder();
        }
    }

    /// <summary>
    /// Starts a pump unless one is under way (then that one goes round once more). The pump runs outside the request
    /// that asked for it, so reports from trials are taken while trials are being started.
    /// </summary>
    private void RequestPump()
    {
        if (pumping)
        {
            pumpAgain = true;
            return;
        }
        pumping = true;
        _ = PumpUntilIdle();
    }

    private async Task PumpUntilIdle()
    {
        try
        {
            do
            {
                pumpAgain = false;
                await Pump();
            } while (pumpAgain);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Dispatching trials of sweep {Sweep} failed; the next check retries", SweepId);
        }
        finally
        {
            pumping = false;
        }
    }

    /// <summary>
    /// Dispatches queued trials in grid order, a batch per round trip to the capacity view (which also frees the slots
    /// of trials that ended), while the sweep's limit and the cluster's free slots allow.
    /// </summary>
    private async Task Pump()
    {
        if (definition.State.Spec is not { } spec || state.State.Cancelled) return;
        while (true)
        {
            var running = counts[TrialState.Running];
            var room = spec.MaxConcurrentTrials > 0 ? spec.MaxConcurrentTrials - running : DispatchBatch;
            var batch = Dispatchable(spec).Take(Math.Clamp(room, 0, DispatchBatch)).ToList();
            var released = ended.ToList();
            ended.Clear();
            if (batch.Count == 0 && released.Count == 0) break;
            var reserved = await Capacity.ReserveMany(spec.Resources.Pool, released, batch.Select(t => t.Id).ToList());
            var started = (await Task.WhenAll(reserved.Select(r => Dispatch(specs[r.Key], state.State.Trials[r.Key], r.Value)))).Count(ok => ok);
            if (batch.Count == 0 || started < batch.Count) break; // the cluster is full (or refused): the next report or check pumps again
        }
        if (IsFinished()) await SaveSoon();
    }

    /// <summary>Queued trials whose back-off has passed and whose teacher has a result; settles those the store already has.</summary>
    private IEnumerable<TrialSpec> Dispatchable(SweepSpec spec)
    {
        var now = DateTimeOffset.UtcNow;
        // Walk the queued trials in grid order (a copy: settling a trial removes it from the queue).
        foreach (var index in queued.ToArray())
        {
            var trial = spec.Trials[index];
            var record = state.State.Trials[trial.Id];
            if (record.State != TrialState.Queued || record.NotBefore > now || !TeacherReady(trial, record)) continue;
            if (store.TryGetResult(trial.Id) is { } result)
            {
                SetState(trial.Id, record, TrialState.Done);
                record.Outcome = TrialOutcomes.From(result);
                dirty = true;
                continue;
            }
            yield return trial;
        }
    }

    private bool TeacherReady(TrialSpec trial, TrialRecord record)
    {
        if (trial.Distillation?.TeacherTrialId is not { } teacherId) return true;
        if (!state.State.Trials.TryGetValue(teacherId, out var teacher)) return store.TryGetResult(teacherId) is not null;
        if (teacher.State is TrialState.Failed or TrialState.Cancelled)
        {
            SetState(trial.Id, record, TrialState.Failed);
            record.Error = $"its teacher {teacherId} {teacher.State.ToString().ToLowerInvariant()}";
            metrics.Transition(SweepId, "failed");
            dirty = true;
            return false;
        }
        return teacher.State.HasResult();
    }

    /// <summary>
    /// Starts one trial on the reserved silo. The record says Running from the moment the request leaves, so a report
    /// from a trial that finishes before its start reply arrives is taken as it should be.
    /// </summary>
    private async Task<bool> Dispatch(TrialSpec trial, TrialRecord record, SiloAddress silo)
    {
        var assignment = new TrialAssignment(SweepId, trial, record.Starts + 1);
        SetState(trial.Id, record, TrialState.Running);
        record.Starts++;
        record.NotBefore = null;
        heartbeats[trial.Id] = DateTime.UtcNow;
        dirty = true;
        Task<TrialStartReply> call;
        // The request context travels with the call made here; the placement director reads the reserved silo from it.
        RequestContext.Set(DeviceSlotPlacementDirector.TargetSilo, silo);
        try
        {
            call = GrainFactory.GetGrain<ITrialGrain>(trial.Id).Start(assignment);
        }
        finally
        {
            RequestContext.Remove(DeviceSlotPlacementDirector.TargetSilo);
        }
        TrialStartReply? reply = null;
        try
        {
            reply = await call;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not start trial {Trial} on {Silo}", trial.Id, silo);
        }
        if (reply is not { Started: true } || reply.Silo != silo.ToString()) await Capacity.Release(trial.Id); // refused, failed, or already running elsewhere
        if (reply is not { Started: true })
        {
            if (record.State == TrialState.Running)
            {
                SetState(trial.Id, record, TrialState.Queued);
                record.Starts--;
                heartbeats.Remove(trial.Id);
            }
            return false;
        }
        if (reply.AlreadyRunning) record.Starts--;
        else metrics.Transition(SweepId, "started");
        record.Silo = reply.Silo;
        record.Device = reply.Device;
        return true;
    }

    private void FailStudentsOf(string teacherId)
    {
        foreach (var trial in definition.State.Spec!.Trials.Where(t => t.Distillation?.TeacherTrialId == teacherId))
        {
            var record = state.State.Trials[trial.Id];
            if (record.State.IsFinal()) continue;
            SetState(trial.Id, record, TrialState.Failed);
            record.Error = $"its teacher {teacherId} failed";
            metrics.Transition(SweepId, "failed");
        }
    }

    private void Forget(string trialId)
    {
        ended.Add(trialId);
        progress.Remove(trialId);
        heartbeats.Remove(trialId);
    }

    /// <summary>Hands this silo's metrics a fresh picture of the sweep (read at scrape time).</summary>
    private void Publish()
    {
        if (definition.State.Spec is not { } spec) return;
        var byState = new Dictionary<TrialState, int>(counts);
        var finished = spec.Trials
            .Select(t => (Spec: t, Record: state.State.Trials[t.Id]))
            .Where(t => t.Record.State.HasResult() && t.Record.Outcome is not null)
            .Select(t => (t.Spec, t.Record.Outcome!)).ToList();
        metrics.Publish(new SweepSnapshot(SweepId, byState, byState[TrialState.Queued], finished, spec.Select));
    }

    private bool IsFinished() => counts[TrialState.Queued] + counts[TrialState.Running] == 0;

    private async Task StopReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Writes now when the last write is <see cref="SaveInterval"/> old, else leaves it to the check timer (results are safe in the artefact store meanwhile).</summary>
    private async Task SaveSoon()
    {
        dirty = true;
        if (DateTime.UtcNow - lastWrite > SaveInterval || IsFinished()) await Save();
    }

    /// <summary>
    /// A second per thousand trials (1 s to 10 s): each write holds the whole state and blocks the sweep's turns, so a
    /// large sweep writes less often. What a crash can lose meanwhile is recovered on activation (results from the
    /// artefact store, running trials asked again).
    /// </summary>
    private TimeSpan SaveInterval => TimeSpan.FromSeconds(Math.Clamp(state.State.Trials.Count / 1000.0, 1, 10));

    private async Task Save()
    {
        Publish();
        await state.WriteStateAsync();
        dirty = false;
        lastWrite = DateTime.UtcNow;
    }

    private SweepStatus Status()
    {
        var spec = definition.State.Spec!;
        var trials = spec.Trials.Select(t =>
        {
            var r = state.State.Trials[t.Id];
            return new TrialStatus(t, r.State, r.Starts, r.Silo, r.Device, progress.GetValueOrDefault(t.Id), r.Outcome, r.Error);
        }).ToList();
        return new SweepStatus(SweepId, spec.Name, definition.State.SubmittedAt, state.State.Cancelled, trials, spec.Select);
    }
}
