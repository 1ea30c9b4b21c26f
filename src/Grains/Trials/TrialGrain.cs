using Sweeps.Artifacts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Devices;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Metrics;
using Sweeps.Grains.Placement;

namespace Sweeps.Grains.Trials;

/// <summary>
/// One trial, placed on the silo whose slot its sweep reserved. It leases a device from the silo's slot manager, runs the
/// attempt through the silo's <see cref="ITrialRunner"/> (a worker process of its own) off the Orleans scheduler, has the
/// silo's <see cref="SiloHeartbeats"/> report its progress (and stop it when its sweep gave it up), writes its result to the artefact store once, tells every sweep that asked for it how
/// the attempt ended, and returns the slot however it ends.
/// </summary>
[DeviceSlotPlacement]
public sealed class TrialGrain(
    DeviceSlotManager slots, ITrialRunner runner, IGrainFactory grains, TrialArtifactStore store, SweepsMetrics metrics, ILocalSiloDetails silo,
    SiloHeartbeats heartbeats, ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    private RunningTrial? current;
    private IGrainTimer? keepAlive;

    private string TrialId => this.GetPrimaryKeyString();

    public Task<TrialStartReply> Start(TrialAssignment assignment)
    {
        if (current is { Work.IsCompleted: false } running)
        {
            running.Subscribe(assignment.SweepId, assignment.Attempt);
            return Task.FromResult(new TrialStartReply(true, silo.SiloAddress.ToString(), running.Lease.Slot, AlreadyRunning: true));
        }
        current = null;
        var lease = slots.TryLease(assignment.Spec.Pool, TrialId);
        if (lease is null)
        {
            DeactivateOnIdle(); // the next attempt is placed afresh, on a silo with a free slot
            return Task.FromResult(new TrialStartReply(false, silo.SiloAddress.ToString(), ""));
        }

        var trial = new RunningTrial(assignment, lease);
        current = trial;
        trial.Work = Task.Factory.StartNew(() => Train(trial), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        keepAlive ??= this.RegisterGrainTimer(ForgetFinished, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
        logger.LogInformation("Trial {Trial} ({Label}) starts on {Slot}, attempt {Attempt}", TrialId, assignment.Spec.Label, lease.Slot, assignment.Attempt);
        return Task.FromResult(new TrialStartReply(true, silo.SiloAddress.ToString(), lease.Slot));
    }

    public async Task Cancel()
    {
        if (current is { } trial) await trial.Stop.CancelAsync();
    }

    public Task<TrialProgressReport?> GetProgress() => Task.FromResult(current is { Work.IsCompleted: false } trial ? trial.Progress.Current : null);

    public async Task StopEarly()
    {
        if (current is { } trial) await trial.StopEarly.CancelAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (current is { Work.IsCompleted: false } trial)
        {
            // The silo is going away or the grain is being moved: stop after a checkpoint, hand the slot back.
            await trial.Stop.CancelAsync();
            await trial.Work.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    private Task ForgetFinished()
    {
        if (current is { Work.IsCompleted: true })
        {
            current = null;
            keepAlive?.Dispose();
            keepAlive = null;
            DeactivateOnIdle();
        }
        return Task.CompletedTask;
    }

    /// <summary>Runs on a dedicated thread, outside the grain's turns (so it calls grains through the silo's <see cref="IGrainFactory"/>, not the activation's).</summary>
    private async Task Train(RunningTrial trial)
    {
        var id = trial.Assignment.Spec.Id;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(trial.Stop.Token, trial.Lease.Stopping, trial.Fenced.Token);
        var progress = trial.Progress;
        var beating = heartbeats.Track(id, trial.Assignment.SweepId, trial.Subscribers, progress, trial.Fenced);
        metrics.TrackRunning(id, new RunningTrialGauge(trial.Assignment.SweepId, trial.Assignment.Spec, () => progress.Current));
        var attempt = System.Diagnostics.Stopwatch.StartNew();
        Func<ISweepGrain, int, Task> report;
        try
        {
            var result = store.TryGetReusableResult(id);
            if (result is { StoppedAtStep: not null } && !trial.Assignment.AcceptsStopped) result = null; // this sweep trains it to its end
            if (result is null)
            {
                var run = new TrialRun(trial.Assignment.Spec, trial.Assignment.Attempt, trial.Lease.TorchDevice, store.FolderOf(id), trial.Assignment.MemoryCapBytes);
                result = await runner.RunAsync(run, progress, linked.Token, trial.StopEarly.Token);
                store.SaveResult(id, result);
            }
            var outcome = TrialOutcomes.From(result);
            metrics.TrialDuration.Record(attempt.Elapsed.TotalSeconds, new("task", trial.Assignment.Spec.Task), new("method", trial.Assignment.Spec.Method));
            report = (sweep, _) => sweep.ReportFinished(id, outcome);
        }
        catch (OperationCanceledException) when (trial.Fenced.IsCancellationRequested)
        {
            // Its sweep gave it up and runs it elsewhere: this copy tells no one (an "interrupted" would re-queue the
            // copy that took over) and only frees its device.
            metrics.StopTracking(id);
            beating.Dispose();
            trial.Lease.Dispose();
            return;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            report = (sweep, attempt) => sweep.ReportInterrupted(id, attempt);
        }
        catch (AttemptFailedException e)
        {
            logger.LogWarning("Trial {Trial} attempt {Attempt} {Fault}: {Reason}", id, trial.Assignment.Attempt, e.Fault.Name(), e.Message);
            report = (sweep, attempt) => sweep.ReportFailed(id, attempt, e.Message, e.Fault);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Trial {Trial} failed", id);
            var reason = e.GetType().Name + ": " + e.Message;
            report = (sweep, attempt) => sweep.ReportFailed(id, attempt, reason, AttemptFault.Failed);
        }
        metrics.StopTracking(id);
        beating.Dispose();
        trial.Lease.Dispose();
        await Tell(trial, report);
    }

    /// <summary>
    /// Tells every subscribed sweep (which frees the slot in the capacity view as it dispatches the next trial), then
    /// frees it here too in case no sweep is reachable; retried, since a lost report leaves a sweep waiting for its stall check.
    /// Each sweep is told the attempt number it gave this copy, so it can tell a replaced attempt's end from its newest's.
    /// </summary>
    private async Task Tell(RunningTrial trial, Func<ISweepGrain, int, Task> report)
    {
        var id = trial.Assignment.Spec.Id;
        var told = new HashSet<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                foreach (var sweepId in trial.Subscribers())
                    if (!told.Contains(sweepId))
                    {
                        await report(grains.GetGrain<ISweepGrain>(sweepId), trial.AttemptFor(sweepId));
                        told.Add(sweepId);
                    }
                await grains.GetGrain<ICapacityGrain>(0).Release(id);
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not report trial {Trial}'s end (attempt {Attempt})", id, attempt + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt));
            }
        }
    }

    private sealed class RunningTrial(TrialAssignment assignment, DeviceLease lease)
    {
        /// <summary>The sweeps this copy reports to, with the attempt number each gave it.</summary>
        private readonly Dictionary<string, int> subscribers = new() { [assignment.SweepId] = assignment.Attempt };

        public TrialAssignment Assignment { get; } = assignment;
        public DeviceLease Lease { get; } = lease;
        public CancellationTokenSource Stop { get; } = new();

        /// <summary>The attempt's newest progress, its evaluations and its loss trace.</summary>
        public LatestProgress Progress { get; } = new();

        /// <summary>Cancelled when its sweep no longer holds it (see <see cref="SiloHeartbeats"/>): stop, tell no one.</summary>
        public CancellationTokenSource Fenced { get; } = new();
        public CancellationTokenSource StopEarly { get; } = new();
        public Task Work { get; set; } = Task.CompletedTask;

        public void Subscribe(string sweepId, int attempt)
        {
            lock (subscribers) subscribers[sweepId] = attempt;
        }

        public IReadOnlyCollection<string> Subscribers()
        {
            lock (subscribers) return [.. subscribers.Keys];
        }

        public int AttemptFor(string sweepId)
        {
            lock (subscribers) return subscribers[sweepId];
        }
    }
}
