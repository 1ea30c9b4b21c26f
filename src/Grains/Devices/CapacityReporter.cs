using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Cluster;

using Sweeps.Grains.Storage;

namespace Sweeps.Grains.Devices;

/// <summary>
/// Advertises this silo's slots to the cluster's capacity view: at once after every lease or return, and every
/// <see cref="SweepsOptions.CapacityReportInterval"/> as a heartbeat (a silo that stops reporting gets no new trials),
/// while it reaches the cluster's store.
/// </summary>
public sealed class CapacityReporter(
    DeviceSlotManager slots, IGrainFactory grains, ILocalSiloDetails silo, StoreProbe store, IOptions<SweepsOptions> options, ILogger<CapacityReporter> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly SemaphoreSlim changed = new(0);
    private CancellationTokenSource? stop;
    private Task? loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CapacityReporter), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken _)
    {
        stop = new CancellationTokenSource();
        slots.Changed += Signal;
        loop = Task.Run(() => Loop(stop.Token));
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken _)
    {
        slots.Changed -= Signal;
        if (stop is null || loop is null) return;
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Signal() => changed.Release();

    private async Task Loop(CancellationToken cancellation)
    {
        var capacity = grains.GetGrain<ICapacityGrain>(0);
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                // Cut off from the store, it stays silent: after three intervals the capacity view offers it no new trials.
                if (await store.ProblemAsync(options.Value.CapacityReportInterval) is { } problem)
                    logger.LogWarning("Not offering this silo's slots: {Problem}", problem);
                else
                    await capacity.Report(new SiloCapacity(silo.SiloAddress, slots.Pool, slots.Slots, slots.LeasedTrials()));
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not report this silo's device slots; retrying");
            }
            try
            {
                await changed.WaitAsync(options.Value.CapacityReportInterval, cancellation);
                while (changed.CurrentCount > 0) changed.Wait(0); // coalesce a burst of changes into one report
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
