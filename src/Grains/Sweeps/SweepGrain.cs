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
/// One sweep: the Orleans shell around its <see cref="SweepLedger"/>. It keeps the spec and the trials' records
/// durably (writes throttled), takes the trials' reports, dispatches what the ledger says is next whenever the
/// capacity view has a free slot of the sweep's pool, and checks on a timer for silent trials. A reminder wakes the
/// sweep after a restart of the cluster until every trial is final.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("spec", SweepGrain.StorageName)] IPersistentState<SweepDefinition> definition,
    [PersistentState("trials", SweepGrain.StorageName)] IPersistentState<SweepState> state,
    TrialArtifactStore store, SweepsMetrics metrics, IOptions<SweepsOptions> options, ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    public const string StorageName = "sweeps";
    private const string ReminderName = "sweep-check";
    private const int DispatchBatch = 64;

    private SweepLedger? ledger;
    private IGrainTimer? checkTimer;
    private bool pumping, pumpAgain;
    private DateTime lastWrite;

    private string SweepId => this.GetPrimaryKeyString();
    private SweepsOptions Settings => options.Value;
    private ICapacityGrain Capacity => GrainFactory.GetGrain<ICapacityGrain>(0);
    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (definition.State.Spec is not { } spec) return;
        ledger = NewLedger(spec);
        ledger.Recover();
        if (!ledger.IsFinished) StartChecking();
        Publish();
        await SaveSoon();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(SweepId);
        if (ledger is { Changed: true }) await Save();
    }

    public async Task<SweepStatus> Submit(SweepSpec spec)
    {
        if (ledger is null)
        {
            definition.State.Spec = spec;
            definition.State.SubmittedAt = DateTimeOffset.UtcNow;
            ledger = NewLedger(spec);
            await definition.WriteStateAsync();
            await Save();
            await GrainFactory.GetGrain<ISweepCatalogGrain>(0).Add(new SweepSummary(SweepId, spec.Name, definition.State.SubmittedAt, spec.Trials.Count));
            logger.LogInformation("Sweep {Sweep} submitted: {Trials} trials, {Reused} reused", SweepId, spec.Trials.Count, ledger.Count(TrialState.Reused));
        }
        if (!ledger.IsFinished)
        {
            StartChecking();
            await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            RequestPump();
        }
        Publish();
        return ledger.Status(SweepId, definition.State.SubmittedAt);
    }

    public Task<SweepProgress?> GetProgress() => Task.FromResult(ledger?.Progress(SweepId));

    public Task<SweepStatus?> GetStatus() => Task.FromResult(ledger?.Status(SweepId, definition.State.SubmittedAt));

    public async Task Cancel()
    {
        if (ledger is null) return;
        foreach (var id in ledger.Cancel())
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
        Publish();
        await Save();
    }

    public Task ReportProgress(string trialId, TrialProgressReport report)
    {
        ledger?.Heartbeat(trialId, report, Now);
        return Task.CompletedTask;
    }

    public async Task ReportFinished(string trialId, TrialOutcome outcome)
    {
        if (ledger?.Finish(trialId, outcome) != true) return; // once per trial
        await Settle();
    }

    public async Task ReportFailed(string trialId, string reason)
    {
        if (ledger?.Fail(trialId, reason, Now, Settings.RetryBackoff) is not { } decision) return;
        if (decision.GaveUp) logger.LogWarning("Trial {Trial} failed {Failures} times; giving up: {Reason}", trialId, decision.Failures, reason);
        await Settle();
    }

    public async Task ReportInterrupted(string trialId)
    {
        if (ledger?.Interrupt(trialId) != true) return;
        await Settle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation already re-queued what was running; a finished sweep needs its reminder no more.
        if (ledger is null || ledger.IsFinished) await StopReminder();
        else await Check();
    }

    private SweepLedger NewLedger(SweepSpec spec) =>
        new(spec, state.State, id => store.TryGetResult(id) is { } result ? TrialOutcomes.From(result) : null);

    /// <summary>After a report changed the ledger: write soon, and dispatch what the freed slot allows.</summary>
    private async Task Settle()
    {
        CountTransitions();
        await SaveSoon();
        RequestPump();
    }

    private void StartChecking() =>
        checkTimer ??= this.RegisterGrainTimer(Check, new GrainTimerCreationOptions(Settings.SweepCheckInterval, Settings.SweepCheckInterval) { KeepAlive = true });

    private async Task Check()
    {
        foreach (var (id, silo) in ledger!.ExpireHeartbeats(Now, Settings.HeartbeatTimeout))
        {
            logger.LogWarning("Trial {Trial} on {Silo} sent no heartbeat for {Timeout}; re-queued", id, silo, Settings.HeartbeatTimeout);
            await Capacity.Release(id);
        }
        RequestPump();
        if (ledger.Changed && DateTime.UtcNow - lastWrite > SaveInterval) await Save();
        if (ledger.IsFinished)
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
    /// Dispatches the ledger's next trials, a batch per round trip to the capacity view (which also frees the slots of
    /// trials that ended), while the sweep's limit and the cluster's free slots allow.
    /// </summary>
    private async Task Pump()
    {
        if (ledger is null || ledger.Cancelled) return;
        while (true)
        {
            var batch = ledger.NextBatch(Now, DispatchBatch);
            var released = ledger.TakeEnded();
            if (batch.Count == 0 && released.Count == 0) break;
            var reserved = await Capacity.ReserveMany(ledger.Spec.Resources.Pool, released, batch.Select(t => t.Id).ToList());
            var started = (await Task.WhenAll(reserved.Select(r => Dispatch(r.Key, r.Value)))).Count(ok => ok);
            CountTransitions();
            if (batch.Count == 0 || started < batch.Count) break; // the cluster is full (or refused): the next report or check pumps again
        }
        if (ledger.IsFinished) await SaveSoon();
    }

    /// <summary>Starts one trial on the reserved silo; false when it did not start there.</summary>
    private async Task<bool> Dispatch(string trialId, SiloAddress silo)
    {
        var reply = await TrialStarter.StartOn(GrainFactory, silo, ledger!.Dispatching(trialId, SweepId, Now), logger);
        if (reply is not { Started: true } || reply.Silo != silo.ToString()) await Capacity.Release(trialId); // refused, failed, or already running elsewhere
        if (reply is not { Started: true })
        {
            ledger.StartRefused(trialId);
            return false;
        }
        ledger.Started(trialId, reply);
        return true;
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

    private async Task StopReminder()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Writes now when the last write is <see cref="SaveInterval"/> old, else leaves it to the check timer (results are safe in the artefact store meanwhile).</summary>
    private async Task SaveSoon()
    {
        ledger!.Changed = true;
        if (DateTime.UtcNow - lastWrite > SaveInterval || ledger.IsFinished) await Save();
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
        ledger!.Changed = false;
        lastWrite = DateTime.UtcNow;
    }
}
