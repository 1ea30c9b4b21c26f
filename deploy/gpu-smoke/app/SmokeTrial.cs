using System.Diagnostics;
using Sweeps.Artifacts;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;

namespace Sweeps.GpuSmoke;

/// <summary>One SMP-S trial through the engine's trainer, timed step by step.</summary>
public static class SmokeTrial
{
    public sealed record Outcome(string Device, Precision Precision, TrialResult Result, double MedianStepSeconds, double WallSeconds);

    public static Outcome Run(string device, Precision precision, TextTask task, ModelFolder model, SmokeSize size, string workFolder)
    {
        var config = new TrialConfig
        {
            Task = task.Name,
            Model = model.Path,
            Method = PruningMethod.SmpScoreAllocated,
            Keep = 0.5,
            Classifier = ClassifierMode.LinearHead,
            Precision = precision,
            Device = device,
            Seed = 1,
            BatchSize = size.Batch,
            MaxLength = size.Length,
            Epochs = (double)size.Steps * size.Batch / task.Train.Count,
            HeadLearningRate = 1e-2,
            EvalEvery = Math.Max(1, size.Steps / 2),
        };
        var output = Path.Combine(workFolder, $"{device.Replace(':', '-')}-{precision.ToName()}");
        var steps = new StepClock();
        var wall = Stopwatch.StartNew();
        var result = new TrialTrainer(config, task, model, output, new SweepsCache(Path.Combine(workFolder, "cache")), steps).Run();
        return new Outcome(device, precision, result, steps.MedianSeconds, wall.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The time between consecutive training steps' reports (the trainer reports on its own thread, synchronously),
    /// leaving out the first step (CUDA's and the allocator's warm-up) and any interval that held an evaluation.
    /// </summary>
    private sealed class StepClock : IProgress<TrialProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly List<double> intervals = [];
        private double? last;
        private bool evaluated;

        public double MedianSeconds => intervals.Count == 0 ? double.NaN : intervals.Order().ElementAt(intervals.Count / 2);

        public void Report(TrialProgress value)
        {
            if (value.Phase == TrainingPhase.Evaluating) evaluated = true;
            if (value.Phase != TrainingPhase.Training) return;
            var now = clock.Elapsed.TotalSeconds;
            if (last is { } previous && !evaluated && value.Step > 1) intervals.Add(now - previous);
            (last, evaluated) = (now, false);
        }
    }
}

/// <summary>The trial's scale: training steps, batch size, tokens per example, the model's width and depth.</summary>
public sealed record SmokeSize(int Steps, int Batch, int Length, int Hidden, int Layers);
