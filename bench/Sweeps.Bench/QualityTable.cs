using System.Diagnostics;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;

namespace Sweeps.Bench;

/// <summary>
/// The paper's comparison on MiniLM + SpamAssassin, at a budget this machine affords: a dense fine-tuned teacher, then
/// magnitude pruning + fine-tuning, movement pruning, SMP-L and SMP-S, each with and without distillation, at keep
/// 50% / 10% / 3%. Every trial sees the same 512 training e-mails for 4 epochs (256 steps of 8 × 64 tokens) and is
/// scored on the whole dev split.
/// </summary>
public static class QualityTable
{
    private static readonly double[] Keeps = [0.5, 0.1, 0.03];
    private static readonly PruningMethod[] Methods = [PruningMethod.Magnitude, PruningMethod.Movement, PruningMethod.SmpLocal, PruningMethod.SmpScoreAllocated];

    public static void Run(BenchOptions options, string outputRoot)
    {
        TorchSharp.torch.set_num_threads(options.Threads);
        var cache = SweepsCache.Default();
        var task = SpamAssassinTask.LoadAsync(cache).GetAwaiter().GetResult();
        var model = BuiltInModels.Resolve(BuiltInModels.MiniLm, cache);
        var majority = task.Dev["dev"].GroupBy(e => e.Label).Max(g => g.Count()) / (double)task.Dev["dev"].Count;
        var baseConfig = new TrialConfig
        {
            Task = task.Name, Epochs = 4, BatchSize = 8, MaxLength = 64, MaxTrainExamples = 512, HeadLearningRate = 3e-3,
        };

        TrialResult Trial(string name, TrialConfig config)
        {
            var folder = Path.Combine(outputRoot, name);
            var clock = Stopwatch.StartNew();
            var result = new TrialTrainer(config, task, model, folder, cache).Run();
            Console.WriteLine($"  {name,-28} accuracy {result.DevMetrics["accuracy"]:F4}  f1 {result.DevMetrics["f1"]:F4}  keep {result.AchievedKeepFraction:P2}  {clock.Elapsed.TotalSeconds,5:F0} s");
            return result;
        }

        Console.WriteLine($"quality, MiniLM-L6-H384 on spam-assassin ({task.Dev["dev"].Count} dev e-mails, majority class {majority:F4})");
        var dense = Trial("dense", baseConfig with { Method = PruningMethod.Dense });
        var teacher = Path.Combine(outputRoot, "dense");
        var rows = new List<(string Method, bool Kd, double[] Accuracy, double[] F1)>();
        foreach (var method in Methods)
            foreach (var kd in new[] { false, true })
            {
                var accuracy = new double[Keeps.Length];
                var f1 = new double[Keeps.Length];
                for (var i = 0; i < Keeps.Length; i++)
                {
                    var config = baseConfig with
                    {
                        Method = method,
                        KeepFraction = Keeps[i],
                        Distillation = kd ? new DistillationSettings(teacher) : null,
                    };
                    var result = Trial($"{method.ToName()}{(kd ? "-kd" : "")}-{Keeps[i]:0.00}", config);
                    accuracy[i] = result.DevMetrics["accuracy"];
                    f1[i] = result.DevMetrics["f1"];
                }
                rows.Add((method.ToName(), kd, accuracy, f1));
            }

        Console.WriteLine();
        Console.WriteLine("| method | KD | keep 50% | keep 10% | keep 3% |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine($"| dense fine-tuning (100%) | — | {dense.DevMetrics["accuracy"]:F4} / {dense.DevMetrics["f1"]:F4} | | |");
        foreach (var row in rows)
            Console.WriteLine($"| {row.Method} | {(row.Kd ? "yes" : "no")} | {string.Join(" | ", row.Accuracy.Zip(row.F1, (a, f) => $"{a:F4} / {f:F4}"))} |");
        Console.WriteLine("(accuracy / F1 of the spam class; majority class accuracy " + majority.ToString("F4") + ")");
    }
}
