using System.Collections.Concurrent;

namespace Sweeps.Web;

/// <summary>
/// One answer per key per <c>freshFor</c> for every page this host serves: however many browsers watch a sweep or a
/// trial (each page re-renders every second), its grain is asked at most once per period from here, and viewers
/// share the answer. A failed answer is asked again at the next request.
/// </summary>
public sealed class SharedReads<T>(TimeSpan freshFor, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Lazy<Task<T>> Answer)> answers = new();

    public Task<T> GetAsync(string key, Func<Task<T>> ask)
    {
        var now = time.GetUtcNow();
        var entry = answers.AddOrUpdate(key,
            _ => (now, new(ask)),
            (_, held) => now - held.At < freshFor && !held.Answer.Value.IsFaulted ? held : (now, new(ask)));
        // Keys no longer viewed are dropped as others are asked for, so the table stays as small as what is watched.
        foreach (var stale in answers.Where(s => now - s.Value.At > 60 * freshFor).Select(s => s.Key).ToList()) answers.TryRemove(stale, out _);
        return entry.Answer.Value;
    }
}
