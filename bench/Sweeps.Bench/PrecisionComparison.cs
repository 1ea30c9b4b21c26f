using System.Diagnostics;
using System.Reflection;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using static TorchSharp.torch;

namespace Sweeps.Bench;

/// <summary>
/// bf16 against fp32, side by side in one run: the median step of SMP-S and of dense fine-tuning on the same MiniLM
/// batch (32 SpamAssassin texts × 128 tokens), the four measured in alternating rounds so that a machine's drift
/// touches them alike; then each pair's trial memory in a process of its own (a process's resident set keeps what
/// earlier work allocated).
/// </summary>
public static class PrecisionComparison
{
    public static void Run(BenchOptions options)
    {
        set_num_threads(options.Threads);
        using var input = new TrainingBatch();
        var (folder, batch, labels) = (input.Folder, input.Batch, input.Labels);

        (PruningMethod Method, Precision Precision)[] pairs =
        [
            (PruningMethod.SmpScoreAllocated, Precision.Fp32), (PruningMethod.SmpScoreAllocated, Precision.Bf16),
            (PruningMethod.Dense, Precision.Fp32), (PruningMethod.Dense, Precision.Bf16),
        ];
        var times = pairs.ToDictionary(p => p, _ => new List<double>());
        // Each round builds each model afresh and takes the median of 3 steps after a warm-up.
        for (var round = 0; round < Math.Max(1, options.Rounds); round++)
            foreach (var pair in pairs)
                times[pair].Add(TrainingStepThroughput.Measure(folder, pair.Method, batch, labels, 3, pair.Precision).Step);

        Console.WriteLine($"precision, MiniLM-L6-H384, batch {TrainingBatch.BatchSize} x {TrainingBatch.MaxLength} tokens, {options.Threads} threads, {Cpu()}");
        Console.WriteLine($"  step time: median over {options.Rounds} rounds of each round's median of 3 steps");
        foreach (var method in pairs.Select(p => p.Method).Distinct())
        {
            var fp32 = TrainingStepThroughput.Median(times[(method, Precision.Fp32)]);
            var bf16 = TrainingStepThroughput.Median(times[(method, Precision.Bf16)]);
            Console.WriteLine($"  {method.ToName(),-6} fp32 {fp32 * 1000,7:F0} ms   bf16 {bf16 * 1000,7:F0} ms   bf16 / fp32 {bf16 / fp32:F2}");
        }
        var (model, _) = BertCheckpointLoader.Load(folder);
        var config = model.Config;
        model.Dispose();
        // The FFN's shape, as the step benchmark measures it: what a BERT's largest matrices reach in each type.
        var gemm32 = MatmulThroughput.Measure(TrainingBatch.BatchSize * TrainingBatch.MaxLength, config.HiddenSize, config.IntermediateSize, options.Rounds);
        var gemm16 = MatmulThroughput.Measure(TrainingBatch.BatchSize * TrainingBatch.MaxLength, config.HiddenSize, config.IntermediateSize, options.Rounds, ScalarType.BFloat16);
        Console.WriteLine($"  libtorch GEMM on the FFN shape: fp32 {gemm32:F0} GFLOP/s, bf16 {gemm16:F0} GFLOP/s, bf16 / fp32 {gemm16 / gemm32:F2}");
        Console.WriteLine("  trial memory (40 steps, one process each):");
        foreach (var pair in pairs)
            Console.WriteLine($"    {pair.Method.ToName(),-6} {pair.Precision.ToName()}: {MemoryOf(pair.Method, pair.Precision, options.Threads)}");
    }

    /// <summary>The memory benchmark's peak and steady lines for one trial, from a child process.</summary>
    private static string MemoryOf(PruningMethod method, Precision precision, int threads)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Under `dotnet run` the process is the dotnet host, which needs the benchmark's assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in new[] { "memory", "--method", method.ToName(), "--precision", precision.ToName(), "--threads", threads.ToString() })
            start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        child.WaitForExit();
        if (child.ExitCode != 0) return $"the memory benchmark failed (exit {child.ExitCode})";
        var words = lines.Skip(1).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        return string.Join("; ", words.Where(l => l.StartsWith("peak") || l.StartsWith("resident at step 10 ") || l.StartsWith("resident at step 40 ")));
    }

    private static string Cpu() =>
        File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU" : "unknown CPU";
}
