using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Cluster;

namespace Sweeps.Grains.Cluster;

/// <summary>
/// The cluster's view of device slots: the Orleans shell around a <see cref="SlotBook{TSilo}"/>, which it feeds the
/// silos' reports, the clock and which silos membership says are active. Soft state, rebuilt from the silos' reports
/// after a re-activation.
/// </summary>
public sealed class CapacityGrain(IClusterMembershipService membership, IOptions<SweepsOptions> options) : Grain, ICapacityGrain
{
    // A silo reports every interval; three missed reports and it is not offered any more.
    private readonly SlotBook<SiloAddress> book = new(options.Value.CapacityReportInterval * 3);

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public Task Report(SiloCapacity capacity)
    {
        book.Report(capacity.Silo, capacity.Pool, capacity.Devices.Count, capacity.LeasedTrials, Now);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KeyValuePair<string, SiloAddress>>> ReserveMany(string pool, IReadOnlyList<string> released, IReadOnlyList<string> trialIds)
    {
        foreach (var trialId in released) book.Release(trialId);
        var isLive = IsActive();
        var reserved = new List<KeyValuePair<string, SiloAddress>>();
        foreach (var trialId in trialIds)
        {
            if (!book.TryReserve(pool, trialId, Now, isLive, out var silo)) break;
            reserved.Add(new(trialId, silo));
        }
        return Task.FromResult<IReadOnlyList<KeyValuePair<string, SiloAddress>>>(reserved);
    }

    public Task Release(string trialId)
    {
        book.Release(trialId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SlotUsage>> GetUsage() =>
        Task.FromResult<IReadOnlyList<SlotUsage>>(book.Usage(Now, IsActive()).Select(u => new SlotUsage(u.Silo, u.Pool, u.Slots, u.Busy)).ToList());

    private Func<SiloAddress, bool> IsActive()
    {
        var snapshot = membership.CurrentSnapshot;
        return silo => snapshot.GetSiloStatus(silo) == SiloStatus.Active;
    }
}
