using System.Diagnostics.CodeAnalysis;
using Sweeps.Grains.Hosting;

namespace Sweeps.Grains.Cluster;

/// <summary>
/// The capacity view's bookkeeping as plain C#: each silo's reported slots and leases, and the reservations made for
/// trials being placed. A slot is busy when a trial holds its lease there or a reservation; a reservation the silo
/// reports as a lease has done its job, and one that never becomes a lease expires. Time is passed in and which silos
/// are alive is asked of <c>isLive</c>: <see cref="CapacityGrain"/> is the shell, and the rules are tested here.
/// </summary>
/// <typeparam name="TSilo">How a silo is named (Orleans' SiloAddress in the grain, anything equatable in tests).</typeparam>
/// <param name="staleAfter">A silo whose last report is older than this is not offered (it reports every third of it).</param>
public sealed class SlotBook<TSilo>(TimeSpan staleAfter) where TSilo : notnull
{
    private sealed record SiloEntry(string Pool, int Slots, HashSet<string> Leased, DateTimeOffset ReportedAt);

    private readonly Dictionary<TSilo, SiloEntry> silos = [];
    private readonly Dictionary<string, (TSilo Silo, DateTimeOffset At)> reservations = [];

    /// <summary>A reservation older than this that the silo never reported as a lease is dropped (the start was lost).</summary>
    public TimeSpan ReservationExpiry => staleAfter * 5;

    /// <summary>A silo's report: its pool, how many slots it has, and the trials holding leases there now.</summary>
    public void Report(TSilo silo, string pool, int slots, IReadOnlyCollection<string> leased, DateTimeOffset now)
    {
        silos[silo] = new SiloEntry(pool, slots, [.. leased], now);
        var done = reservations
            .Where(r => r.Value.Silo.Equals(silo) && (leased.Contains(r.Key) || now - r.Value.At > ReservationExpiry))
            .Select(r => r.Key).ToList();
        foreach (var trial in done) reservations.Remove(trial);
    }

    /// <summary>
    /// Reserves a slot of <paramref name="pool"/> for the trial, on the live silo with the most free slots (a trial
    /// already holding a reservation keeps it); false when no live silo of the pool has a free slot.
    /// </summary>
    public bool TryReserve(string pool, string trialId, DateTimeOffset now, Func<TSilo, bool> isLive, [MaybeNullWhen(false)] out TSilo silo)
    {
        if (reservations.TryGetValue(trialId, out var held))
        {
            silo = held.Silo;
            return true;
        }
        (TSilo Silo, int Free)? best = null;
        foreach (var (candidate, entry) in Live(now, isLive))
        {
            if (entry.Pool != pool && entry.Pool != SweepsOptions.AnyPool) continue;
            var free = entry.Slots - Busy(candidate, entry);
            if (free > (best?.Free ?? 0)) best = (candidate, free);
        }
        if (best is not { } chosen)
        {
            silo = default;
            return false;
        }
        reservations[trialId] = (chosen.Silo, now);
        silo = chosen.Silo;
        return true;
    }

    /// <summary>Frees the trial's slot: its reservation, and its lease until the silo's next report says otherwise.</summary>
    public void Release(string trialId)
    {
        reservations.Remove(trialId);
        foreach (var entry in silos.Values) entry.Leased.Remove(trialId);
    }

    /// <summary>Every live silo with its pool, slots and busy slots.</summary>
    public IReadOnlyList<(TSilo Silo, string Pool, int Slots, int Busy)> Usage(DateTimeOffset now, Func<TSilo, bool> isLive) =>
        Live(now, isLive).Select(s => (s.Key, s.Value.Pool, s.Value.Slots, Busy(s.Key, s.Value))).ToList();

    private IEnumerable<KeyValuePair<TSilo, SiloEntry>> Live(DateTimeOffset now, Func<TSilo, bool> isLive) =>
        silos.Where(s => now - s.Value.ReportedAt <= staleAfter && isLive(s.Key));

    private int Busy(TSilo silo, SiloEntry entry) =>
        entry.Leased.Count + reservations.Count(r => r.Value.Silo.Equals(silo) && !entry.Leased.Contains(r.Key));
}
