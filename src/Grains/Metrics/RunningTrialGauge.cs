using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Metrics;

/// <summary>A running trial as the metrics see it: its labels and a way to read its latest progress.</summary>
public sealed record RunningTrialGauge(string SweepId, TrialSpec Spec, Func<TrialProgressReport> Progress);
