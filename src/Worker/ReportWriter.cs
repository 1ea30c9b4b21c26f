using Sweeps.Worker.Protocol;

namespace Sweeps.Worker;

/// <summary>Writes reports to the silo, a line each, from any thread (the training thread, the liveness timer, the main flow).</summary>
public sealed class ReportWriter(Stream output) : IDisposable
{
    private readonly StreamWriter writer = new(output) { AutoFlush = true, NewLine = "\n" };
    private readonly Lock gate = new();

    /// <summary>When the last report was sent (the silo's hang watch counts from its last line).</summary>
    public long LastSentTicks { get; private set; } = Environment.TickCount64;

    /// <summary>Sends a report; false when the silo no longer reads (it died or closed the pipe).</summary>
    public bool Send(WorkerReport report)
    {
        var line = WorkerJson.Line(report);
        lock (gate)
        {
            try
            {
                writer.WriteLine(line);
                LastSentTicks = Environment.TickCount64;
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            try
            {
                writer.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }
}
