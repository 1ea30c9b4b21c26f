using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Sweeps.Grains.Devices;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;

namespace Sweeps.Grains.Metrics;

/// <summary>
/// The product's meter (<see cref="MeterName"/>), one per silo. Counters and histograms are recorded where things
/// happen; gauges are read at scrape time from what this silo's sweep and trial grains last published and from its
/// slot manager. Labels are bounded: sweep ids, result cells (a configuration less its seed) and, for running trials
/// only, trial ids; a trial's own series end when it does, so a sweep of any size exposes one series per cell and
/// per device slot, never one per finished trial. docs/metrics.md lists them.
/// </summary>
public sealed class SweepsMetrics : IDisposable
{
    public const string MeterName = "Sweeps";

    private readonly Meter meter;
    private readonly ConcurrentDictionary<string, SweepSnapshot> sweeps = new();
    private readonly ConcurrentDictionary<string, RunningTrialGauge> running = new();

    public SweepsMetrics(IMeterFactory meters, DeviceSlotManager slots)
    {
        meter = meters.Create(MeterName);
        Transitions = meter.CreateCounter<long>("sweeps.trial.transitions", "{transition}",
            "Trial state changes: started, done, stopped (early stopping), reused, failed, cancelled, requeued (silo lost or shut down), retried");
        TrialDuration = meter.CreateHistogram<double>("sweeps.trial.duration", "s", "Wall time of finished trial attempts, including resumed ones",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800] });
        HeartbeatDuration = meter.CreateHistogram<double>("sweeps.heartbeat.duration", "s",
            "Round trip of a silo's heartbeat to one sweep (all of that sweep's trials on the silo), answered or not (outcome: answered, failed)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15] });

        meter.CreateObservableGauge("sweeps.trials", () => sweeps.Values.SelectMany(s => s.TrialsByState.Select(kv =>
                new Measurement<int>(kv.Value, new("sweep", s.SweepId), new("state", kv.Key.ToString().ToLowerInvariant())))),
            "{trial}", "Trials of each sweep by current state");
        meter.CreateObservableGauge("sweeps.queue.depth", () => sweeps.Values.Select(s => new Measurement<int>(s.QueueDepth, new KeyValuePair<string, object?>("sweep", s.SweepId))),
            "{trial}", "Queued trials of each sweep (waiting for a slot, a teacher or a retry)");
        meter.CreateObservableGauge("sweeps.cell.metric", CellMetrics, null,
            "Each result cell's dev metric over its seeds (stat: mean, std, min, max), by sweep, task, method, keep fraction, distillation, settings and metric name");
        meter.CreateObservableGauge("sweeps.cell.seeds", CellSeeds, "{trial}",
            "Each result cell's finished seeds (kind: finished) and how many of them collapsed to one class (kind: collapsed)");
        meter.CreateObservableGauge("sweeps.cell.keep.achieved", CellAchievedKeep, null,
            "Each result cell's achieved keep fraction over its seeds (stat: mean, std, min, max), by sweep, task, method, target keep fraction, distillation and settings");
        meter.CreateObservableGauge("sweeps.trial.loss", () => running.Values.Select(r => Measure(r, p => p.Loss)).Where(m => !double.IsNaN(m.Value)),
            null, "Current training loss of each running trial");
        meter.CreateObservableGauge("sweeps.trial.tokens", () => running.Values.Select(r => Measure(r, p => p.TokensPerSecond)),
            "{token}/s", "Training throughput of each running trial");
        meter.CreateObservableGauge("sweeps.trial.step", () => running.Values.Select(r => Measure(r, p => p.Step)),
            "{step}", "Current step of each running trial");
        meter.CreateObservableGauge("sweeps.trial.dev", RunningEvaluations,
            null, "Latest dev evaluation of each running trial, per metric (its intermediate result)");
        meter.CreateObservableGauge("sweeps.device.slots", () => slots.Slots.SelectMany(slot =>
            {
                var busy = slots.IsBusy(slot) ? 1 : 0;
                return new[]
                {
                    new Measurement<int>(busy, new("pool", slots.Pool), new("device", slot), new("state", "busy")),
                    new Measurement<int>(1 - busy, new("pool", slots.Pool), new("device", slot), new("state", "free")),
                };
            }),
            "{slot}", "This silo's device slots: per slot, 1 on the series of its state (busy or free) and 0 on the other");
    }

    public Counter<long> Transitions { get; }

    public Histogram<double> TrialDuration { get; }

    public Histogram<double> HeartbeatDuration { get; }

    public void Transition(string sweepId, TrialTransition transition) =>
        Transitions.Add(1, new("sweep", sweepId), new("transition", LabelOf(transition)));

    /// <summary>A transition's label value: its name in snake case (<c>retried</c>, <c>out_of_memory</c>).</summary>
    public static string LabelOf(TrialTransition transition) =>
        string.Concat(transition.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public void Publish(SweepSnapshot snapshot) => sweeps[snapshot.SweepId] = snapshot;

    public void Forget(string sweepId) => sweeps.TryRemove(sweepId, out _);

    public void TrackRunning(string trialId, RunningTrialGauge gauge) => running[trialId] = gauge;

    public void StopTracking(string trialId) => running.TryRemove(trialId, out _);

    public void Dispose() => meter.Dispose();

    private IEnumerable<Measurement<double>> CellMetrics() =>
        sweeps.Values.SelectMany(s => s.Cells.SelectMany(c => c.Metrics.SelectMany(m =>
            Stats(m.Value).Select(st => new Measurement<double>(st.Value, [.. CellLabels(s.SweepId, c), new("metric", m.Key), new("stat", st.Stat)])))));

    private IEnumerable<Measurement<double>> CellAchievedKeep() =>
        sweeps.Values.SelectMany(s => s.Cells.SelectMany(c =>
            Stats(c.AchievedKeep).Select(st => new Measurement<double>(st.Value, [.. CellLabels(s.SweepId, c), new("stat", st.Stat)]))));

    /// <summary>A cell's value over its seeds as the <c>stat</c> label's series: mean, min, max, and std from two seeds on.</summary>
    private static IEnumerable<(string Stat, double Value)> Stats(SeedStatistics statistics)
    {
        yield return ("mean", statistics.Mean);
        yield return ("min", statistics.Min);
        yield return ("max", statistics.Max);
        if (statistics.Std is { } std) yield return ("std", std);
    }

    private IEnumerable<Measurement<int>> CellSeeds() =>
        sweeps.Values.SelectMany(s => s.Cells.SelectMany(c => new[]
        {
            new Measurement<int>(c.N, [.. CellLabels(s.SweepId, c), new("kind", "finished")]),
            new Measurement<int>(c.Collapsed, [.. CellLabels(s.SweepId, c), new("kind", "collapsed")]),
        }));

    private static KeyValuePair<string, object?>[] CellLabels(string sweepId, ResultCell cell) =>
    [
        new("sweep", sweepId), new("task", cell.Task), new("method", cell.Method), new("keep", Keep(cell.Keep)),
        new("distillation", cell.Distilled ? "teacher" : "off"), new("settings", cell.Settings),
    ];

    private IEnumerable<Measurement<double>> RunningEvaluations() =>
        running.Values.Select(r => (Gauge: r, Last: r.Progress().Evaluations.LastOrDefault()))
            .Where(r => r.Last is not null)
            .SelectMany(r => r.Last!.Metrics.Select(m => Measure(r.Gauge, _ => m.Value, new("metric", m.Key), new("step", r.Last.Step))));

    private static Measurement<double> Measure(RunningTrialGauge r, Func<TrialProgressReport, double> read, params KeyValuePair<string, object?>[] more) =>
        new(read(r.Progress()), [new("sweep", r.SweepId), new("trial", r.Spec.Id), new("task", r.Spec.Task), new("method", r.Spec.Method),
            new("keep", Keep(r.Spec)), new("distillation", r.Spec.Distillation is null ? "off" : "teacher"), .. more]);

    private static string Keep(TrialSpec spec) => Keep(spec.Keep);

    private static string Keep(double keep) => keep.ToString("0.###", CultureInfo.InvariantCulture);
}
