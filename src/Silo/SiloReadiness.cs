using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Storage;
using Sweeps.Grains.Sweeps;

namespace Sweeps.Silo;

/// <summary>
/// Ready when this silo is an active member of the cluster and the grain store answers (a read through the very
/// storage provider the sweeps use: SQLite or Redis).
/// </summary>
public sealed class SiloReadiness(IClusterMembershipService membership, ILocalSiloDetails silo, IServiceProvider services) : IHealthCheck
{
    private static readonly GrainId Probe = GrainId.Create("sweeps-readiness", "probe");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active) return HealthCheckResult.Unhealthy($"silo is {status.ToString().ToLowerInvariant()}, not an active cluster member");
        try
        {
            var storage = services.GetRequiredKeyedService<IGrainStorage>(SweepGrain.StorageName);
            await storage.ReadStateAsync("readiness", Probe, new GrainState<ReadinessProbe>(new ReadinessProbe()));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("grain storage unreachable: " + e.Message);
        }
    }

    /// <summary>The state type of the probe read (never written).</summary>
    [GenerateSerializer]
    public sealed class ReadinessProbe;
}
