using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Devices;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Metrics;

namespace Sweeps.Grains.Tests.Metrics;

/// <summary>
/// What the product's gauges expose at a scrape, read straight from the meter: a finished trial has no series of its
/// own, so a sweep's series are as many as its result cells and running trials, however many seeds it has.
/// </summary>
public sealed class SweepsMetricsTests : IDisposable
{
    private static readonly TrainingSpec Training = new(3, 8, 48, 512, 400, 2e-2, 3e-3, 3e-5, 400, null, 2.0 / 3.0);

    private readonly DeviceSlotManager slots = new(Options.Create(new SweepsOptions { Pool = "cpu", Devices = "cpu:0" }), new Lifetime());
    private readonly Meters meters = new();
    private readonly SweepsMetrics metrics;

    public SweepsMetricsTests() => metrics = new SweepsMetrics(meters, slots);

    public void Dispose()
    {
        metrics.Dispose();
        meters.Dispose();
        slots.Dispose();
    }

    private static TrialSpec Spec(string method, double keep, int seed) =>
        new("spam-assassin", null, "minilm-l6-h384", method, keep, "linear", null, seed, Training, "default");

    /// <summary>Two cells (smp-s at keep 0.1 and 0.5) of <paramref name="seeds"/> seeds each, every one finished.</summary>
    private static SweepSnapshot Finished(string sweepId, int seeds)
    {
        var finished = new[] { 0.1, 0.5 }.SelectMany(keep => Enumerable.Range(1, seeds).Select(seed =>
            (Spec("smp-s", keep, seed), new TrialOutcome([new("accuracy", 0.8 + seed / 1000.0), new("f1", 0.7)], keep + seed / 10000.0, 100, 0, 10, 900, 1000)))).ToList();
        return new SweepSnapshot(sweepId, new Dictionary<TrialState, int> { [TrialState.Done] = finished.Count, [TrialState.Running] = 1 }, 0,
            () => ResultCells.From(finished, MetricSelection.Best));
    }

    [Fact]
    public void FinishedTrials_HaveNoSeriesOfTheirOwn_OnlyTheirCells_WhateverTheNumberOfSeeds()
    {
        metrics.Publish(Finished("few", seeds: 2));
        var few = Scrape();
        metrics.Forget("few");
        metrics.Publish(Finished("many", seeds: 200));
        var many = Scrape();

        Assert.Equal(few.Count, many.Count); // 400 finished trials expose what 4 do
        Assert.All(many, s => Assert.False(s.Labels.ContainsKey("seed"), $"{s.Name} is labelled by a seed"));
        Assert.All(many, s => Assert.False(s.Labels.ContainsKey("trial"), $"{s.Name} is labelled by a finished trial"));
        Assert.DoesNotContain(many, s => s.Name is "sweeps.trial.metric" or "sweeps.trial.keep.achieved");
        Assert.Equal(2, many.Count(s => s.Name == "sweeps.cell.seeds" && s.Labels["kind"] == "finished"));
        Assert.All(many.Where(s => s.Name == "sweeps.cell.seeds" && s.Labels["kind"] == "finished"), s => Assert.Equal(200, s.Value));
    }

    [Fact]
    public void CellAchievedKeep_IsTheCellsAchievedKeepFractionOverItsSeeds_LabelledLikeItsMetrics()
    {
        var snapshot = Finished("sweep", seeds: 3);
        metrics.Publish(snapshot);
        var series = Scrape();

        foreach (var cell in snapshot.Cells)
        {
            var keep = series.Where(s => s.Name == "sweeps.cell.keep.achieved" && s.Labels["keep"] == cell.Keep.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .ToDictionary(s => s.Labels["stat"], s => s.Value);
            Assert.Equal(SeedStatistics.Of([cell.Keep + 0.0001, cell.Keep + 0.0002, cell.Keep + 0.0003]), cell.AchievedKeep);
            Assert.Equal(new Dictionary<string, double>
            {
                ["mean"] = cell.AchievedKeep.Mean, ["std"] = cell.AchievedKeep.Std!.Value, ["min"] = cell.AchievedKeep.Min, ["max"] = cell.AchievedKeep.Max,
            }, keep);
        }
        // The same cell labels as sweeps.cell.metric, less its metric name.
        var metricLabels = series.Where(s => s.Name == "sweeps.cell.metric").Select(s => Without(s.Labels, "metric")).Distinct().Order().ToList();
        var keepLabels = series.Where(s => s.Name == "sweeps.cell.keep.achieved").Select(s => Without(s.Labels, null)).Distinct().Order().ToList();
        Assert.Equal(metricLabels, keepLabels);
    }

    [Fact]
    public void ARunningTrialsSeries_EndWhenItStops()
    {
        var running = Spec("smp-l", 0.3, 7);
        metrics.Publish(Finished("sweep", seeds: 2));
        metrics.TrackRunning(running.Id, new RunningTrialGauge("sweep", running, () => new TrialProgressReport(TrialPhase.Training, 5, 10, 0.7, 0.3, 1000)));

        var whileRunning = Scrape();
        metrics.StopTracking(running.Id);
        var after = Scrape();

        Assert.Equal(["sweeps.trial.loss", "sweeps.trial.step", "sweeps.trial.tokens"],
            whileRunning.Where(s => s.Labels.GetValueOrDefault("trial") == running.Id).Select(s => s.Name).Order());
        Assert.DoesNotContain(after, s => s.Labels.ContainsKey("trial"));
        Assert.Contains(after, s => s.Name == "sweeps.cell.keep.achieved");
    }

    private static string Without(IReadOnlyDictionary<string, string> labels, string? name) =>
        string.Join(",", labels.Where(l => l.Key != name).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private sealed record Series(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Every gauge of this test's meter, read as a scrape reads it (other tests' meters left out).</summary>
    private List<Series> Scrape()
    {
        var series = new List<Series>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SweepsMetrics.MeterName && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
        };
        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new Dictionary<string, string>();
            foreach (var tag in tags) labels[tag.Key] = tag.Value?.ToString() ?? "";
            lock (series) series.Add(new Series(instrument.Name, labels, value));
        }
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        return series.Where(s => s.Name.StartsWith("sweeps.", StringComparison.Ordinal) && s.Name != "sweeps.device.slots").ToList();
    }

    /// <summary>Creates meters scoped to this test's <see cref="SweepsMetrics"/>, so a listener can tell them from other tests'.</summary>
    private sealed class Meters : IMeterFactory
    {
        private readonly List<Meter> created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            created.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in created) meter.Dispose();
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
