using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sweeps.Grains.Storage;

namespace Sweeps.Silo;

/// <summary>Ready when this silo is an active member of the cluster and the grain store answers (<see cref="StoreProbe"/>).</summary>
public sealed class SiloReadiness(IClusterMembershipService membership, ILocalSiloDetails silo, StoreProbe store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active) return HealthCheckResult.Unhealthy($"silo is {status.ToString().ToLowerInvariant()}, not an active cluster member");
        return await store.ProblemAsync(TimeSpan.FromSeconds(10)) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy();
    }
}
