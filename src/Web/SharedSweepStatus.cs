using System.Collections.Concurrent;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Web;

/// <summary>
/// One status of each sweep per second for every page this host serves: however many browsers watch a sweep (each
/// page re-renders every second), its grain is asked at most once a second from here, and viewers share the answer.
/// </summary>
public sealed class SharedSweepStatus(TimeSpan freshFor, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Lazy<Task<SweepStatus?>> Status)> statuses = new();

    public Task<SweepStatus?> GetAsync(IGrainFactory grains, string sweepId)
    {
        var now = time.GetUtcNow();
        var entry = statuses.AddOrUpdate(sweepId,
            _ => (now, Ask(grains, sweepId)),
            (_, held) => now - held.At < freshFor && !held.Status.Value.IsFaulted ? held : (now, Ask(grains, sweepId)));
        // Sweeps no longer viewed are dropped as others are asked for, so the table stays as small as what is watched.
        foreach (var stale in statuses.Where(s => now - s.Value.At > 60 * freshFor).Select(s => s.Key).ToList()) statuses.TryRemove(stale, out _);
        return entry.Status.Value;
    }

    private static Lazy<Task<SweepStatus?>> Ask(IGrainFactory grains, string sweepId) => new(() => grains.GetGrain<ISweepGrain>(sweepId).GetStatus());
}
