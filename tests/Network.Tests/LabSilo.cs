using Sweeps.Testing;

namespace Sweeps.Network.Tests;

/// <summary>
/// A silo process on a lab host, kept running as a pod's restart policy would: when it exits (a silo that learns it
/// was declared dead stops itself), it is started again after a second. Every incarnation's output is kept.
/// </summary>
public sealed class LabSilo : IAsyncDisposable
{
    private readonly Func<SiloProcess> start;
    private readonly CancellationTokenSource stop = new();
    private readonly List<SiloProcess> incarnations = [];
    private readonly Task supervisor;

    public LabSilo(LabHost host, Func<SiloProcess> start)
    {
        Host = host;
        this.start = start;
        lock (incarnations) incarnations.Add(start());
        supervisor = Task.Run(Supervise);
    }

    public LabHost Host { get; }

    /// <summary>How many times its process exited on its own and was started again.</summary>
    public int Restarts
    {
        get { lock (incarnations) return incarnations.Count - 1; }
    }

    /// <summary>When its first process exited, if it did.</summary>
    public DateTime? FirstExit { get; private set; }

    public string Output
    {
        get { lock (incarnations) return string.Join("\n--- restarted ---\n", incarnations.Select(i => i.Output)); }
    }

    private async Task Supervise()
    {
        while (!stop.IsCancellationRequested)
        {
            SiloProcess current;
            lock (incarnations) current = incarnations[^1];
            if (current.HasExited)
            {
                FirstExit ??= DateTime.UtcNow;
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested) break;
                lock (incarnations) incarnations.Add(start());
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await supervisor;
        lock (incarnations)
            foreach (var incarnation in incarnations)
                incarnation.Dispose();
    }
}
