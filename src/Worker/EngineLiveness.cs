using System.Diagnostics.Metrics;
using Sweeps.Pruning.Training;
using Sweeps.Worker.Protocol;

namespace Sweeps.Worker;

/// <summary>
/// Tells the silo the engine is working while no progress report comes: an evaluation or a teacher's logits take
/// minutes on a large dev split, one batch at a time. It listens to the engine's own meter (a batch inferred, a step,
/// a checkpoint written) and sends <see cref="WorkerReportKind.Alive"/> at most every few seconds while it hears
/// something. A training thread stuck in a native call makes no measurement, so the silo's hang watch still sees it.
/// </summary>
public sealed class EngineLiveness : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly MeterListener listener = new();
    private readonly Timer timer;
    private readonly ReportWriter reports;
    private long lastMeasuredTicks;

    public EngineLiveness(ReportWriter reports)
    {
        this.reports = reports;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TrainingMeter.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => Volatile.Write(ref lastMeasuredTicks, Environment.TickCount64));
        listener.Start();
        timer = new Timer(_ => Tick(), null, Interval, Interval);
    }

    private void Tick()
    {
        // Something was measured since the last line went out, and that line is getting old.
        var measured = Volatile.Read(ref lastMeasuredTicks);
        if (measured > reports.LastSentTicks && Environment.TickCount64 - reports.LastSentTicks >= Interval.TotalMilliseconds)
            reports.Send(new WorkerReport(WorkerReportKind.Alive));
    }

    public void Dispose()
    {
        timer.Dispose();
        listener.Dispose();
    }
}
