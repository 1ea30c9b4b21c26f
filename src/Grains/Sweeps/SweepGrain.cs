using Sweeps.Artifacts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Security;
using Sweeps.Grains.Metrics;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Trials;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// One sweep: the Orleans shell around its <see cref="SweepLedger"/> (the rules), a <see cref="SweepDispatcher"/>
/// (calls to trials and the capacity view) and a <see cref="SweepStateWriter"/> (the trials that changed, to the
/// <see cref="ITrialStore"/> under the epoch this activation claimed). It takes the trials' reports, checks on a timer for silent trials, and holds a reminder that wakes it after a
/// restart of the cluster until every trial is final.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("spec", SweepGrain.StorageName)] IPersistentState<SweepDefinition> definition,
    [PersistentState("trials", SweepGrain.StorageName)] IPersistentState<SweepState> wholeDocument,
    ITrialStore trials, TimeProvider time, TrialArtifactStore store, SweepsMetrics metrics, IOptions<SweepsOptions> options, CallerAuthenticator callers, ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    public const string StorageName = "sweeps";
    private const string ReminderName = "sweep-check";

    private SweepLedger? ledger;
    private SweepDispatcher? dispatcher;
    private SweepStateWriter? writer;
    private IGrainTimer? checkTimer;
    /// <summary>The counts last reported to the catalog (their values in state order).</summary>
    private string? reportedCounts;

    private string SweepId => this.GetPrimaryKeyString();
    private SweepsOptions Settings => options.Value;
    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await StoredSpec() is not { } spec) return;
        (await Open(spec)).Recover(Now);
        FileResultsSoon();
        if (!ledger!.IsFinished) StartChecking();
        Publish();
        await writer!.WriteSoon(ledger);
        await ReportToCatalog();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(SweepId);
        if (ledger is { HasChanges: true }) await writer!.Write(ledger);
    }

    public async Task<SweepProgress> Submit(SweepSpec spec, CallerProof? caller = null)
    {
        var owner = callers.Identify(caller, CallerProof.Actions.Submit(SweepId), Now);
        if (ledger is null)
        {
            (definition.State.SubmittedAt, definition.State.Owner, definition.State.SpecInTrialStore) = (Now, owner, true);
            var queued = (await Open(spec)).QueuedTrialIds();
            // Results are looked up off the turn (a file per trial: seconds for a large sweep), then taken on it.
            ledger!.ReuseStoredResults(await Task.Run(() => ledger.FindStoredResults(queued)));
            FileResultsSoon();
            // The spec before the definition that says where it is: a sweep is there once both are.
            await trials.WriteSpecAsync(SweepId, SweepSpecCodec.Encode(spec));
            await definition.WriteStateAsync();
            await writer!.Write(ledger!);
            await GrainFactory.GetGrain<ISweepCatalogGrain>(0).Add(new SweepSummary(SweepId, spec.Name, definition.State.SubmittedAt, ledger!.PlannedTrials, owner));
            logger.LogInformation("Sweep {Sweep} submitted by {Owner}: {Trials} trials, {Reused} reused", SweepId, owner.Length > 0 ? owner : "an unauthenticated caller",
                ledger!.PlannedTrials, ledger!.Count(TrialState.Reused));
        }
        if (!ledger!.IsFinished)
        {
            StartChecking();
            await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            dispatcher!.Request();
        }
        Publish();
        await ReportToCatalog();
        return Progress(ledger!);
    }

    public Task<SweepProgress?> GetProgress() => Task.FromResult(ledger is null ? null : Progress(ledger));

    private SweepProgress Progress(SweepLedger of) =>
        of.Progress(SweepId) with { SubmittedAt = definition.State.SubmittedAt, Owner = definition.State.Owner };

    public async Task<TrialListing?> GetTrials(TrialQuery query)
    {
        if (ledger?.Page(query) is not { } page) return null;
        return page with { Trials = await WithStoredRecords(page.Trials) };
    }

    public async Task<SweepResults?> GetResults(MetricSelection? select = null)
    {
        if (ledger is null) return null;
        var chosen = select ?? ledger.Spec.Select;
        var results = ledger.Results;
        // Computed off the sweep's turn (seconds at 100,000 results, and only when results arrived since the last ask).
        return new SweepResults(SweepId, ledger.Spec.Name, chosen, await Task.Run(() => results.Cells(chosen)));
    }

    public async Task<SweepStatus?> GetStatus()
    {
        if (ledger?.Status(SweepId, definition.State.SubmittedAt) is not { } status) return null;
        return status with { Owner = definition.State.Owner, Trials = await WithStoredRecords(status.Trials) };
    }

    public async Task Cancel(CallerProof? caller = null)
    {
        if (ledger is null) return;
        var who = callers.Identify(caller, CallerProof.Actions.Cancel(SweepId), Now);
        new SweepAccess(Settings.Admins).RequireMayCancel(SweepId, definition.State.Owner, who, callers.Enforces);
        logger.LogInformation("Sweep {Sweep} cancelled by {Caller}", SweepId, who.Length > 0 ? who : "an unauthenticated caller");
        await dispatcher!.Stop(ledger.Cancel(Now));
        await writer!.Write(ledger);
        await ReportToCatalog();
    }

    public async Task<HeartbeatReply> Heartbeat(SiloHeartbeat beat)
    {
        if (ledger is null) return new HeartbeatReply(beat.Trials.Select(t => t.TrialId).ToList(), 0);
        var now = Now;
        foreach (var trial in beat.Trials) ledger.Heartbeat(trial.TrialId, trial.Progress, now);
        var notHeld = beat.Trials.Where(t => !ledger.Holds(t.TrialId, beat.Silo)).Select(t => t.TrialId).ToList();
        if (ledger.TakeStops() is { Count: > 0 } stops) await dispatcher!.StopEarly(stops);
        return new HeartbeatReply(notHeld, writer!.Epoch);
    }

    public async Task ReportFinished(string trialId, TrialOutcome outcome)
    {
        if (ledger?.Finish(trialId, outcome, Now) == true) await Settle(); // once per trial
    }

    public async Task ReportFailed(string trialId, int attempt, string reason, AttemptFault fault)
    {
        if (ledger?.Fail(trialId, reason, Now, Settings.RetryBackoff, fault, attempt) is not { } decision) return;
        if (decision.GaveUp) logger.LogWarning("Trial {Trial} failed {Failures} times; giving up: {Reason}", trialId, decision.Failures, reason);
        await Settle();
    }

    public async Task ReportInterrupted(string trialId, int attempt)
    {
        if (ledger?.Interrupt(trialId, Now, attempt) == true) await Settle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation already re-queued what was running; a finished sweep needs its reminder no more.
        if (ledger is null || ledger.IsFinished) await StopReminder();
        else await Check();
    }

    /// <summary>The sweep's spec: from the trial store, or from the definition of a sweep submitted before specs moved there; null for no sweep.</summary>
    private async Task<SweepSpec?> StoredSpec() =>
        definition.State.Spec
        ?? (definition.State.SpecInTrialStore && await trials.ReadSpecAsync(SweepId) is { } bytes ? SweepSpecCodec.Decode(bytes) : null);

    /// <summary>
    /// The statuses with the records of trials the ledger holds only the state of (finished, their records stored)
    /// read from the trial store. The ledger answered on this turn; the store is read after, beside the sweep's work.
    /// </summary>
    private async Task<IReadOnlyList<TrialStatus>> WithStoredRecords(IReadOnlyList<TrialStatus> statuses)
    {
        var storedOnly = statuses.Where(s => ledger!.HoldsOnlyState(s.Spec.Id)).Select(s => s.Spec.Id).ToList();
        if (storedOnly.Count == 0) return statuses;
        // On the thread pool: SQLite's reads complete synchronously, and a read waiting on the file must not hold the
        // sweep's thread (its heartbeats would wait behind it).
        var records = (await Task.Run(() => trials.ReadRecordsAsync(SweepId, storedOnly))).ToDictionary(r => r.Key, r => TrialRecordCodec.DecodeRecord(r.Value));
        return statuses.Select(s => records.TryGetValue(s.Spec.Id, out var record) ? SweepLedger.StatusOf(s.Spec, record) : s).ToList();
    }

    /// <summary>
    /// Claims the sweep in the trial store (an earlier activation's writes are refused from now on) and builds the
    /// ledger from what is stored there. A sweep stored by an earlier version as one whole document moves over: every
    /// record is written to the trial store, then the document is cleared.
    /// </summary>
    private async Task<SweepLedger> Open(SweepSpec spec)
    {
        var epoch = await trials.ClaimAsync(SweepId);
        var stored = await trials.ReadAsync(SweepId);
        var moving = stored.IsEmpty && wholeDocument.RecordExists && wholeDocument.State.Trials.Count > 0;
        var state = moving ? wholeDocument.State : stored.Decode();
        ledger = new SweepLedger(spec, state, id => store.TryGetReusableResult(id) is { } result ? TrialOutcomes.From(result) : null);
        if (!moving) ledger.ReleaseStoredResults(); // a moved sweep's are let go once written
        writer = new SweepStateWriter(trials, SweepId, epoch, Publish, time, onFenced: () =>
        {
            logger.LogWarning("Sweep {Sweep}: another activation took the sweep over; this one stops", SweepId);
            DeactivateOnIdle();
        });
        dispatcher = new SweepDispatcher(SweepId, ledger, GrainFactory, time, AfterDispatch, logger);
        if (moving)
        {
            logger.LogInformation("Sweep {Sweep}: moving {Trials} trial records from the whole-sweep document to the trial store", SweepId, state.Trials.Count);
            ledger.ChangeEverything();
            await writer.Write(ledger);
            await wholeDocument.ClearStateAsync();
        }
        return ledger;
    }

    /// <summary>
    /// Files the results a sweep has when it loads (or reuses at submission) into its result cells, off the turn: seconds
    /// at 100,000 results, paid as the sweep loads rather than by its first reader. Each later result is filed by the
    /// first read after it, at the cost of its own cell.
    /// </summary>
    private void FileResultsSoon()
    {
        var (results, select) = (ledger!.Results, ledger.Spec.Select);
        Task.Run(() => results.Cells(select)).ContinueWith(t => logger.LogError(t.Exception, "Sweep {Sweep}: computing its result cells failed", SweepId),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>After a report changed the ledger: write soon, and dispatch what the freed slot allows.</summary>
    private async Task Settle()
    {
        CountTransitions();
        await writer!.WriteSoon(ledger!);
        dispatcher!.Request();
    }

    private async Task AfterDispatch()
    {
        CountTransitions();
        if (ledger!.IsFinished) await writer!.WriteSoon(ledger);
    }

    private void StartChecking() =>
        checkTimer ??= this.RegisterGrainTimer(Check, new GrainTimerCreationOptions(Settings.SweepCheckInterval, Settings.SweepCheckInterval) { KeepAlive = true });

    private async Task Check()
    {
        dispatcher!.Lost(ledger!.ExpireHeartbeats(Now, Settings.HeartbeatTimeout), Settings.HeartbeatTimeout);
        dispatcher.Request();
        await writer!.WriteIfDue(ledger);
        await ReportToCatalog();
        if (!ledger.IsFinished) return;
        checkTimer?.Dispose();
        checkTimer = null;
        await StopReminder();
    }

    /// <summary>Hands this silo's metrics a fresh picture of the sweep (read at scrape time) and the transitions since the last.</summary>
    private void Publish()
    {
        if (ledger is null) return;
        CountTransitions();
        metrics.Publish(ledger.Snapshot(SweepId));
    }

    private void CountTransitions()
    {
        foreach (var transition in ledger!.TakeTransitions()) metrics.Transition(SweepId, transition);
    }

    /// <summary>
    /// Tells the catalog the sweep's counts when they changed, so `sweep list` and the pages list it without activating
    /// it; a catalog that cannot be reached hears at the next check.
    /// </summary>
    private async Task ReportToCatalog()
    {
        var counts = ledger!.CountsByState();
        var key = string.Join(",", counts.OrderBy(c => c.Key).Select(c => c.Value));
        if (key == reportedCounts) return;
        try
        {
            await GrainFactory.GetGrain<ISweepCatalogGrain>(0).Report(SweepId, counts, ledger.CollapsedCount(), ledger.IsFinished);
            reportedCounts = key;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            logger.LogWarning(e, "Sweep {Sweep}: could not report its counts to the catalog; the next check does", SweepId);
        }
    }

    private async Task StopReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
