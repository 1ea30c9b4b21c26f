using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sweeps.Worker.Protocol;

namespace Sweeps.Grains.Workers;

/// <summary>
/// One running worker process: commands to its standard input, its reports from standard output, the last lines of
/// its standard error (what a crash leaves behind), and how it exited. Started from a thread of its own that lives until
/// the process exits, because Linux sends a parent-death signal when the thread that started a process ends.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    /// <summary>How many lines of standard error are kept for a crash report.</summary>
    public const int TailLines = 12;

    private readonly Process process;
    private readonly Channel<WorkerReport> reports = Channel.CreateUnbounded<WorkerReport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<string> tail = new();
    private readonly Lock gate = new();
    /// <summary>One line at a time on the worker's input: a stop and an early stop may be sent from two threads at once.</summary>
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly Task reading;
    private long lastHeardTicks = Environment.TickCount64;

    private WorkerProcess(Process process, Task<int> exited, ILogger logger)
    {
        this.process = process;
        Exited = exited;
        reading = Task.WhenAll(ReadReports(), ReadErrors(logger));
    }

    public int Id => process.Id;

    /// <summary>Its exit code once it has exited (128 + N for a process ended by signal N).</summary>
    public Task<int> Exited { get; }

    /// <summary>Its reports in the order written; complete when its standard output closes.</summary>
    public ChannelReader<WorkerReport> Reports => reports.Reader;

    /// <summary>How long since the worker's last report (its error output does not count: a thread may still write there while training is stuck).</summary>
    public TimeSpan Silence => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref lastHeardTicks));

    /// <summary>The last lines it wrote to standard error (and any stray line on standard output), oldest first.</summary>
    public IReadOnlyList<string> Tail
    {
        get { lock (gate) return [.. tail]; }
    }

    public static async Task<WorkerProcess> StartAsync(ProcessStartInfo start, ILogger logger)
    {
        var launched = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
            }
            catch (Exception e)
            {
                launched.SetException(e);
                return;
            }
            launched.SetResult(process);
            process.WaitForExit();
            exited.SetResult(process.ExitCode);
        }) { IsBackground = true, Name = "trial worker" };
        thread.Start();
        var process = await launched.Task;
        return new WorkerProcess(process, exited.Task, logger);
    }

    /// <summary>Writes a message line (the start, or a command); false when the worker no longer reads (it exited).</summary>
    public async Task<bool> SendAsync<T>(T message)
    {
        await sending.WaitAsync();
        try
        {
            await process.StandardInput.WriteLineAsync(WorkerJson.Line(message));
            await process.StandardInput.FlushAsync();
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Ends the process now (SIGKILL); nothing it had not written survives.</summary>
    public void Kill()
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had exited.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Exited;
        await reading;
        process.Dispose();
    }

    private async Task ReadReports()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (WorkerJson.TryRead<WorkerReport>(line) is { } report)
                {
                    Interlocked.Exchange(ref lastHeardTicks, Environment.TickCount64);
                    reports.Writer.TryWrite(report);
                }
                else Keep(line);
            }
        }
        finally
        {
            reports.Writer.TryComplete();
        }
    }

    private async Task ReadErrors(ILogger logger)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            Keep(line);
            logger.LogDebug("Worker {Worker}: {Line}", process.Id, line);
        }
    }

    private void Keep(string line)
    {
        lock (gate)
        {
            tail.Enqueue(line);
            if (tail.Count > TailLines) tail.Dequeue();
        }
    }
}
