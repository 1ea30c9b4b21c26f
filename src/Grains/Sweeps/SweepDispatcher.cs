using Sweeps.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Placement;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// A sweep's calls out to its trials and the capacity view. It starts what the sweep's <see cref="SweepLedger"/> says is next while the capacity view has free slots of the sweep's
/// pool: a batch of reservations per round trip, then each trial started on its reserved silo. One pump at a time; a
/// request during a pump makes it go round once more. The pump runs outside the request that asked for it (on the
/// grain's scheduler still), so trials' reports are taken while trials are being started. A model-based search's
/// next point is proposed when a round finds nothing ready to start and a slot free.
/// </summary>
/// <param name="afterRound">Called after each round (the shell counts the transitions and writes when due).</param>
public sealed class SweepDispatcher(string sweepId, SweepLedger ledger, IGrainFactory grains, TimeProvider time, Func<Task> afterRound, ILogger logger)
{
    private const int Batch = 64;

    private bool pumping, pumpAgain;

    private ICapacityGrain Capacity => grains.GetGrain<ICapacityGrain>(0);

    private DateTimeOffset Now => time.GetUtcNow();

    public void Request()
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
            logger.LogWarning(e, "Dispatching trials of sweep {Sweep} failed; the next check retries", sweepId);
        }
        finally
        {
            pumping = false;
        }
    }

    /// <summary>Asks running trials to stop (the sweep was cancelled); a trial that cannot be reached is logged and left to its heartbeat.</summary>
    public Task Stop(IEnumerable<string> trialIds) => TellEach(trialIds, trial => trial.Cancel(), "cancel it");

    /// <summary>Tells trials early stopping ended to finish now (each reports its best evaluation so far as its result).</summary>
    public Task StopEarly(IEnumerable<string> trialIds) => TellEach(trialIds, trial => trial.StopEarly(), "stop it early; it runs on");

    /// <summary>Calls each trial grain in turn; one that cannot be reached is logged, and the rest are still told.</summary>
    private async Task TellEach(IEnumerable<string> trialIds, Func<ITrialGrain, Task> call, string what)
    {
        foreach (var id in trialIds)
        {
            try
            {
                await call(grains.GetGrain<ITrialGrain>(id));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not reach trial {Trial} to {What}", id, what);
            }
        }
    }

    /// <summary>
    /// Says in the log which trials were presumed lost with their silo (queued again by the ledger). Their slots are
    /// freed by the next round, with the others that ended (<see cref="SweepLedger.TakeEnded"/>), before it reserves more.
    /// </summary>
    public void Lost(IEnumerable<(string TrialId, string? Silo)> trials, TimeSpan timeout)
    {
        foreach (var (id, silo) in trials) logger.LogWarning("Trial {Trial} on {Silo} sent no heartbeat for {Timeout}; re-queued", id, silo, timeout);
    }

    /// <summary>Rounds while the sweep's limit and the cluster's free slots allow; each also frees the slots of trials that ended.</summary>
    private async Task Pump()
    {
        if (ledger.Cancelled) return;
        while (true)
        {
            var batch = ledger.NextBatch(Now, Batch);
            var released = ledger.TakeEnded();
            // A model-based search proposes a point only when nothing else is ready and a slot is free for it, so each
            // proposal sees every result that came before its slot freed.
            if (batch.Count == 0 && ledger.CanPropose && released.Count + await FreeSlots() > 0 && ledger.ProposeNext())
                batch = ledger.NextBatch(Now, Batch);
            if (batch.Count == 0 && released.Count == 0) break;
            var reserved = await Capacity.ReserveMany(ledger.Spec.Resources.Pool, released, batch.Select(t => t.Id).ToList());
            var started = (await Task.WhenAll(reserved.Select(r => Start(r.Key, r.Value)))).Count(ok => ok);
            await afterRound();
            if (batch.Count == 0 || started < batch.Count) break; // the cluster is full (or refused): the next report or check pumps again
        }
    }

    /// <summary>Slots the sweep's trials may take (its pool's, and those of silos that serve any pool) neither leased nor reserved, on live silos.</summary>
    private async Task<int> FreeSlots() =>
        (await Capacity.GetUsage()).Where(u => u.Pool == ledger.Spec.Resources.Pool || u.Pool == SweepsOptions.AnyPool).Sum(u => Math.Max(0, u.Slots - u.Busy));

    /// <summary>
    /// Starts one trial on the reserved silo; false when it did not start there. A reservation the start did not use is
    /// the dispatcher's own to give back (no attempt of the trial held it).
    /// </summary>
    private async Task<bool> Start(string trialId, SiloAddress silo)
    {
        var reply = await TrialStarter.StartOn(grains, silo, ledger.Dispatching(trialId, sweepId, Now), logger);
        if (reply is not { Started: true } || reply.Silo != silo.ToString()) await Capacity.Release(trialId); // refused, failed, or already running elsewhere
        if (reply is not { Started: true })
        {
            ledger.StartRefused(trialId);
            return false;
        }
        ledger.Started(trialId, reply);
        return true;
    }
}
