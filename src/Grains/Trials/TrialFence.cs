using Sweeps.Grains.Interfaces;

namespace Sweeps.Grains.Trials;

/// <summary>
/// Whether a running copy of a trial should stop because its sweep gave it up. Heartbeats are one-way and tell nothing
/// back, so with each one the copy asks its sweep whether it still holds the trial here. A "no" (re-queued after its
/// heartbeats stopped arriving, or running elsewhere) means another copy takes or took over: this one stops, rather
/// than keep a device busy for nothing and race the other to the artefact store. No answer at all for twice the
/// heartbeat timeout means the same: the sweep gave up on it after one timeout; the second leaves time for a sweep
/// whose own silo was cut off to be declared dead and come back on a silo this copy can reach, which then keeps it.
/// </summary>
public sealed class TrialFence(ISweepGrain sweep, string trialId, string silo, TimeSpan interval, TimeSpan timeout)
{
    private readonly DateTime started = DateTime.UtcNow;
    private DateTime confirmed = DateTime.UtcNow;

    /// <summary>Null while the copy should go on; otherwise why it should stop.</summary>
    public async Task<string?> ShouldStopAsync(DateTime now, CancellationToken cancellation)
    {
        if (now - started < interval) return null; // the first beat: its start may not be recorded yet
        try
        {
            if (!await sweep.HoldsTrial(trialId, silo).WaitAsync(timeout / 4, cancellation)) return "its sweep runs it elsewhere now";
            confirmed = now;
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested && e is TimeoutException or OrleansException)
        {
            if (now - confirmed > 2 * timeout) return $"no word from its sweep for {2 * timeout}, so the sweep has queued it again";
        }
        return null;
    }
}
