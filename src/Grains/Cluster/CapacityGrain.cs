using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Cluster;

namespace Sweeps.Grains.Cluster;

/// <summary>
/// The cluster's view of device slots: what each live silo reported, plus reservations made for trials that are
/// being placed. A slot is busy when a trial holds its lease or a reservation; reservations that never turn into a
/// lease expire. Soft state, rebuilt from the silos' reports after a re-activation.
/// </summary>
public sealed class CapacityGrain(IClusterMembershipService membership, IOptions<SweepsOptions> options) : Grain, ICapacityGrain
{
    private sealed record SiloEntry(string Pool, int Slots, HashSet<string> Leased, DateTime ReportedAt);

    private readonly Dictionary<SiloAddress, SiloEntry> silos = [];
    private readonly Dictionary<string, (SiloAddress Silo, DateTime At)> reservations = [];

    private TimeSpan StaleAfter => options.Value.CapacityReportInterval * 3;

    public Task Report(SiloCapacity capacity)
    {
        silos[capacity.Silo] = new SiloEntry(capacity.Pool, capacity.Devices.Count, [.. capacity.LeasedTrials], DateTime.UtcNow);
        // A reservation the silo now reports as a lease has done its job; one that never became a lease expires.
        var expired = reservations
            .Where(r => r.Value.Silo.Equals(capacity.Silo)
                        && (capacity.LeasedTrials.Contains(r.Key) || DateTime.UtcNow - r.Value.At > StaleAfter * 5))
            .Select(r => r.Key).ToList();
        foreach (var trial in expired) reservations.Remove(trial);
        return Task.CompletedTask;
    }

    /// <summary>Reserves a slot of <paramref name="pool"/> for a trial, on the live silo with the most free slots; null when none is free.</summary>
    private SiloAddress? Reserve(string pool, string trialId)
    {
        if (reservations.TryGetValue(trialId, out var held)) return held.Silo;
        SiloAddress? best = null;
        var bestFree = 0;
        foreach (var (silo, entry) in Live())
        {
            if (entry.Pool != pool && entry.Pool != SweepsOptions.AnyPool) continue;
            var free = entry.Slots - Busy(silo, entry);
            if (free > bestFree) (best, bestFree) = (silo, free);
        }
        if (best is not null) reservations[trialId] = (best, DateTime.UtcNow);
        return best;
    }

    public async Task<IReadOnlyList<KeyValuePair<string, SiloAddress>>> ReserveMany(string pool, IReadOnlyList<string> released, IReadOnlyList<string> trialIds)
    {
        foreach (var trialId in released) await Release(trialId);
        var reserved = new List<KeyValuePair<string, SiloAddress>>();
        foreach (var trialId in trialIds)
        {
            if (Reserve(pool, trialId) is not { } silo) break;
            reserved.Add(new(trialId, silo));
        }
        return reserved;
    }

    public Task Release(string trialId)
    {
        reservations.Remove(trialId);
        foreach (var entry in silos.Values) entry.Leased.Remove(trialId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SlotUsage>> GetUsage() =>
        Task.FromResult<IReadOnlyList<SlotUsage>>(Live().Select(s => new SlotUsage(s.Key, s.Value.Pool, s.Value.Slots, Busy(s.Key, s.Value))).ToList());

    private IEnumerable<KeyValuePair<SiloAddress, SiloEntry>> Live()
    {
        var snapshot = membership.CurrentSnapshot;
        var now = DateTime.UtcNow;
        return silos.Where(s => now - s.Value.ReportedAt <= StaleAfter && snapshot.GetSiloStatus(s.Key) == SiloStatus.Active);
    }

    private int Busy(SiloAddress silo, SiloEntry entry) =>
        entry.Leased.Count + reservations.Count(r => r.Value.Silo.Equals(silo) && !entry.Leased.Contains(r.Key));
}
