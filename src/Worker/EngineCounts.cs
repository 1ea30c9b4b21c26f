using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sweeps.Pruning.Training;
using Sweeps.Worker.Protocol;

namespace Sweeps.Worker;

/// <summary>
/// The engine's counters (steps, checkpoints written, batches inferred) as measured in this worker, sent to the silo
/// every couple of seconds while they move: the silo adds them to its own meter, so its /metrics counts every trial's
/// work. The same lines tell the silo the engine is working while no progress report comes — an evaluation or a
/// teacher's logits take minutes on a large split, a batch at a time — whereas a training thread stuck in a native
/// call measures nothing, and the silo's hang watch sees its silence.
/// </summary>
public sealed class EngineCounts : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> pending = new();
    private readonly Timer timer;
    private readonly ReportWriter reports;

    public EngineCounts(ReportWriter reports)
    {
        this.reports = reports;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TrainingMeter.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => pending.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();
        timer = new Timer(_ => Flush(), null, Interval, Interval);
    }

    /// <summary>Sends what was counted since the last report of counts, if anything was.</summary>
    public void Flush()
    {
        var counts = new Dictionary<string, long>();
        foreach (var name in pending.Keys)
            if (pending.TryRemove(name, out var count) && count > 0) counts[name] = count;
        if (counts.Count > 0) reports.Send(new WorkerReport(WorkerReportKind.Counts) { Counts = counts });
    }

    public void Dispose()
    {
        timer.Dispose();
        listener.Dispose();
    }
}
