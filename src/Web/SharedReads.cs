using System.Collections.Concurrent;

namespace Sweeps.Web;

/// <summary>
/// One answer per key per period for every page this host serves: however many browsers watch a sweep or a trial
/// (each page re-renders every second), its grain is asked at most once per period from here, and viewers share the
/// answer. The period may depend on the answer held (a large answer is asked for less often). A failed answer is asked
/// again at the next request.
/// </summary>
public sealed class SharedReads<T>(Func<T?, TimeSpan> freshFor, TimeProvider time)
{
    /// <summary>How long an entry no one asked for is kept: then it is dropped as other keys are asked for.</summary>
    private static readonly TimeSpan Unwatched = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Lazy<Task<T>> Answer)> answers = new();

    public SharedReads(TimeSpan freshFor, TimeProvider time) : this(_ => freshFor, time)
    {
    }

    public Task<T> GetAsync(string key, Func<Task<T>> ask)
    {
        var now = time.GetUtcNow();
        var entry = answers.AddOrUpdate(key,
            _ => (now, new(ask)),
            (_, held) => Fresh(held, now) ? held : (now, new(ask)));
        // Keys no longer viewed are dropped, so the table stays as small as what is watched.
        foreach (var stale in answers.Where(s => now - s.Value.At > Unwatched + freshFor(default)).Select(s => s.Key).ToList()) answers.TryRemove(stale, out _);
        return entry.Answer.Value;
    }

    /// <summary>An answer still being asked for is fresh; a failed one is not; a given one for as long as it says.</summary>
    private bool Fresh((DateTimeOffset At, Lazy<Task<T>> Answer) held, DateTimeOffset now)
    {
        var task = held.Answer.Value;
        if (!task.IsCompleted) return true;
        return task.IsCompletedSuccessfully && now - held.At < freshFor(task.Result);
    }
}
