using System.Diagnostics.Metrics;

namespace Sweeps.Pruning.Training;

/// <summary>
/// The engine's own meter (plain System.Diagnostics.Metrics, so the engine needs no telemetry package): hosts that
/// export metrics listen to <see cref="MeterName"/>. A trial worker counts in its own process and sends its counts to
/// its silo, which adds them here (<see cref="Add"/>), so the silo's /metrics shows every trial's steps and checkpoints.
/// </summary>
public static class TrainingMeter
{
    public const string MeterName = "Sweeps.Pruning";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>The instrument's name, for listeners (which must not touch the fields below while the meter is being built).</summary>
    public const string CheckpointWritesName = "sweeps.checkpoint.writes";

    public static readonly Counter<long> CheckpointWrites =
        Meter.CreateCounter<long>(CheckpointWritesName, "{checkpoint}", "Trial checkpoints written");

    /// <summary>The instrument's name, for listeners.</summary>
    public const string TrainingStepsName = "sweeps.training.steps";

    /// <summary>Optimiser steps taken, counted after each step's progress report (steps per second is its rate).</summary>
    public static readonly Counter<long> TrainingSteps =
        Meter.CreateCounter<long>(TrainingStepsName, "{step}", "Optimiser steps trained");

    /// <summary>
    /// Batches run forward without training (a dev evaluation, a teacher's logits): work that can take minutes between
    /// two steps, which a worker's liveness reports are made of.
    /// </summary>
    public static readonly Counter<long> InferenceBatches =
        Meter.CreateCounter<long>("sweeps.inference.batches", "{batch}", "Batches run forward for evaluation or a teacher's logits");

    public static readonly Counter<long> CheckpointBytes =
        Meter.CreateCounter<long>("sweeps.checkpoint.written", "By", "Bytes of trial checkpoints written");

    private static readonly Dictionary<string, Counter<long>> Counters = new[] { CheckpointWrites, TrainingSteps, InferenceBatches, CheckpointBytes }
        .ToDictionary(c => c.Name);

    /// <summary>Adds counts measured elsewhere (a worker process) to this process's counters, by instrument name; unknown names are ignored.</summary>
    public static void Add(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (name, count) in counts)
            if (count > 0 && Counters.TryGetValue(name, out var counter)) counter.Add(count);
    }
}
