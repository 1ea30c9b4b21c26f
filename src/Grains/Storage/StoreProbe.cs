using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Sweeps.Grains.Sweeps;

namespace Sweeps.Grains.Storage;

/// <summary>
/// Whether this silo reaches the cluster's grain store: a read through the very storage provider the sweeps use
/// (SQLite or Redis). A silo cut off from the store is not ready, and offers no slots for new trials, since what it
/// would run could not be recorded; its running trials go on (they report through the sweeps, not the store).
/// </summary>
public sealed class StoreProbe(IServiceProvider services)
{
    private static readonly GrainId Probe = GrainId.Create("sweeps-readiness", "probe");

    /// <summary>Null when the store answered within <paramref name="timeout"/>; otherwise why not.</summary>
    public async Task<string?> ProblemAsync(TimeSpan timeout)
    {
        try
        {
            var storage = services.GetRequiredKeyedService<IGrainStorage>(SweepGrain.StorageName);
            await storage.ReadStateAsync("readiness", Probe, new GrainState<ReadinessProbe>(new ReadinessProbe())).WaitAsync(timeout);
            return null;
        }
        catch (Exception e)
        {
            return "grain storage unreachable: " + e.Message;
        }
    }

    /// <summary>The state type of the probe read (never written).</summary>
    [GenerateSerializer]
    public sealed class ReadinessProbe;
}
