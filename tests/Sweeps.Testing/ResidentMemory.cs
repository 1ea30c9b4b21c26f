namespace Sweeps.Testing;

/// <summary>
/// Samples a process's resident memory (VmRSS in /proc) every 100 ms while it runs, each sample with a count of work
/// done so far (e.g. results written), so a test can compare the memory after the 10th trial with that after the 30th.
/// </summary>
public sealed class ResidentMemory : IAsyncDisposable
{
    private readonly int processId;
    private readonly Func<int> done;
    private readonly List<(int Done, long Bytes)> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public ResidentMemory(int processId, Func<int> done)
    {
        this.processId = processId;
        this.done = done;
        sampling = Task.Run(Sample);
    }

    /// <summary>The samples so far: work done, resident bytes.</summary>
    public IReadOnlyList<(int Done, long Bytes)> Samples
    {
        get { lock (samples) return [.. samples]; }
    }

    /// <summary>The most the process held resident while sampled.</summary>
    public long Peak => Samples.Select(s => s.Bytes).DefaultIfEmpty().Max();

    /// <summary>The most it held while the count of work done was in [from, to].</summary>
    public long PeakWhile(int from, int to) => Samples.Where(s => s.Done >= from && s.Done <= to).Select(s => s.Bytes).DefaultIfEmpty().Max();

    /// <summary>Reads one field of /proc/&lt;pid&gt;/status in bytes; null once the process is gone.</summary>
    public static long? Status(int processId, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException)
        {
        }
        return null;
    }

    public string Describe() => string.Join(", ", Samples.GroupBy(s => s.Done).Select(g => $"{g.Key}: {g.Max(s => s.Bytes) >> 20} MiB"));

    private async Task Sample()
    {
        while (!stop.IsCancellationRequested)
        {
            var count = done();
            if (Status(processId, "VmRSS") is not { } bytes) return;
            lock (samples) samples.Add((count, bytes));
            try
            {
                await Task.Delay(100, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }
}
