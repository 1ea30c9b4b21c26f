using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sweeps.Artifacts;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Grains.Workers;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;

namespace Sweeps.Bench;

/// <summary>
/// What a worker process costs a trial: the default grid's SMP-S trial (MiniLM, SpamAssassin, 192 steps of 8 × 48
/// tokens, 400 dev e-mails) run in this process, as trials ran before workers, and through the product's runner in a
/// worker of its own, alternating, each round on a fresh folder. Prints the time from the start to the first training
/// step and the trial's wall time, each way, and their ratios.
/// </summary>
public static class WorkerCost
{
    public static void Run(BenchOptions options)
    {
        var cache = SweepsCache.Default();
        // The one-time import and download happen before anything is timed.
        BuiltInModels.Resolve(BuiltInModels.MiniLm, cache);
        SpamAssassinTask.PrepareAsync(cache).GetAwaiter().GetResult();
        TorchSharp.torch.set_num_threads(options.Threads);

        var root = Path.Combine(Path.GetTempPath(), "sweeps-worker-cost");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var settings = Options.Create(new SweepsOptions { ArtifactRoot = root, CheckpointEverySteps = 50 });
        var store = new TrialArtifactStore(root);
        var inputs = new TrialInputGuard(store, settings);
        var runner = new WorkerTrialRunner(inputs, new WorkerLauncher(new WorkerSettings { Threads = options.Threads }, 1), cache, NullLogger<WorkerTrialRunner>.Instance);
        var training = new TrainingSpec(3, 8, 48, 512, 400, 2e-2, 3e-3, 3e-5, 400, null, 2.0 / 3.0);

        var inProcess = new List<(double FirstStep, double Wall)>();
        var inWorker = new List<(double FirstStep, double Wall)>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            // A seed per round and way: every run trains from its own start, never from another's checkpoint or result.
            var here = new TrialSpec("spam-assassin", null, BuiltInModels.MiniLm, "smp-s", 0.5, "linear", null, 100 + round, training, "default");
            var there = here with { Seed = 200 + round };
            var a = Time(progress => TrialTrainer.RunAsync(inputs.Check(here, "cpu"), store.FolderOf(here.Id), cache, progress).GetAwaiter().GetResult());
            var b = Time(progress => runner.RunAsync(new TrialRun(there, 1, "cpu", store.FolderOf(there.Id)), progress, CancellationToken.None, CancellationToken.None)
                .GetAwaiter().GetResult());
            inProcess.Add(a);
            inWorker.Add(b);
            Console.WriteLine($"round {round}: in-process first step {a.FirstStep:F2} s, trial {a.Wall:F1} s; worker first step {b.FirstStep:F2} s, trial {b.Wall:F1} s");
        }

        double Median(IEnumerable<double> values) => values.Order().ElementAt(options.Rounds / 2);
        var (firstHere, wallHere) = (Median(inProcess.Select(r => r.FirstStep)), Median(inProcess.Select(r => r.Wall)));
        var (firstThere, wallThere) = (Median(inWorker.Select(r => r.FirstStep)), Median(inWorker.Select(r => r.Wall)));
        Console.WriteLine($"worker cost, MiniLM SMP-S trial of 192 steps, {options.Threads} threads, median of {options.Rounds} rounds");
        Console.WriteLine($"| | in this process | in a worker | worker / in-process |");
        Console.WriteLine($"| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| start to first step | {firstHere:F2} s | {firstThere:F2} s | {firstThere / firstHere:F2} |");
        Console.WriteLine($"| trial wall time | {wallHere:F1} s | {wallThere:F1} s | {wallThere / wallHere:F3} |");
        Console.WriteLine($"| the worker's extra time, as a share of the in-process trial | | {wallThere - wallHere:F1} s | {(wallThere - wallHere) / wallHere:P1} |");
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Seconds to the first training step's report and to the end.</summary>
    private static (double FirstStep, double Wall) Time(Action<IProgress<TrialProgress>> run)
    {
        var clock = Stopwatch.StartNew();
        double first = double.NaN;
        run(new FirstStep(() => first = double.IsNaN(first) ? clock.Elapsed.TotalSeconds : first));
        return (first, clock.Elapsed.TotalSeconds);
    }

    private sealed class FirstStep(Action seen) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value)
        {
            if (value.Phase == TrainingPhase.Training) seen();
        }
    }
}
