using System.Diagnostics;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Pruning;

namespace Sweeps.Bench;

/// <summary>
/// Resident memory of one MiniLM SMP-S trial (batch 32 × 128 tokens), sampled after every step: the peak, and the
/// change from an early step to the last, which stays flat when every step releases its tensors. <c>--method</c> and
/// <c>--precision</c> choose another trial (the precision benchmark runs one process per pair).
/// </summary>
public static class TrialMemory
{
    public static void Run(BenchOptions options, string[] args)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        var method = PruningMethodFacts.Parse(Value("--method", "smp-s"));
        var precision = PrecisionNames.Parse(Value("--precision", "fp32"));
        TorchSharp.torch.set_num_threads(options.Threads);
        var cache = SweepsCache.Default();
        var task = SpamAssassinTask.LoadAsync(cache).GetAwaiter().GetResult();
        var model = BuiltInModels.Resolve(BuiltInModels.MiniLm, cache);
        var config = new TrialConfig
        {
            Task = task.Name, Method = method, Precision = precision, Keep = 0.1, Epochs = 1, BatchSize = 32,
            MaxLength = 128, TrainLimit = 32 * 40, DevLimit = 64,
        };
        var process = Process.GetCurrentProcess();
        var samples = new List<(int Step, long Bytes)>();
        long peak = 0;
        var progress = new Sampler(p =>
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            if (p.Phase == TrainingPhase.Training) samples.Add((p.Step, process.WorkingSet64));
        });
        var folder = Path.Combine(Path.GetTempPath(), "sweeps-memory");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        new TrialTrainer(config, task, model, folder, cache, progress).Run();
        process.Refresh();
        peak = Math.Max(peak, process.PeakWorkingSet64);

        var early = samples.First(s => s.Step == 10);
        var last = samples[^1];
        Console.WriteLine($"memory, MiniLM-L6-H384 {method.ToName()} {precision.ToName()} trial, {last.Step} steps of {config.BatchSize} x {config.MaxLength} tokens, {options.Threads} threads");
        Console.WriteLine($"  peak resident set        : {peak / 1048576.0,8:F0} MiB");
        Console.WriteLine($"  resident at step {early.Step,3}     : {early.Bytes / 1048576.0,8:F0} MiB");
        Console.WriteLine($"  resident at step {last.Step,3}     : {last.Bytes / 1048576.0,8:F0} MiB");
        Console.WriteLine($"  growth per step after 10 : {(last.Bytes - early.Bytes) / 1024.0 / Math.Max(1, last.Step - early.Step),8:F1} KiB");
    }

    /// <summary>Samples on the training thread, at the end of each step.</summary>
    private sealed class Sampler(Action<TrialProgress> sample) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => sample(value);
    }
}
