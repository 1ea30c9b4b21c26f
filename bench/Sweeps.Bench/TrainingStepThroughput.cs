using System.Diagnostics;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Bench;

/// <summary>
/// One training step of SMP-S (scores only, weights frozen) against one dense fine-tuning step (every weight trained)
/// on the same MiniLM batch (32 SpamAssassin texts × 128 tokens), with the achieved FLOP/s compared to libtorch's GEMM
/// throughput measured in the same run.
/// </summary>
public static class TrainingStepThroughput
{
    public static void Run(BenchOptions options)
    {
        set_num_threads(options.Threads);
        using var input = new TrainingBatch();
        var (folder, batch, labels) = (input.Folder, input.Batch, input.Labels);
        var steps = Math.Max(3, options.Rounds);

        var (dense, _) = Measure(folder, PruningMethod.Dense, batch, labels, steps);
        var (smp, maskSeconds) = Measure(folder, PruningMethod.SmpScoreAllocated, batch, labels, steps);
        var (model, _) = BertCheckpointLoader.Load(folder);
        var config = model.Config;
        model.Dispose();
        var flopPerToken = 2.0 * config.NumHiddenLayers * (4.0 * config.HiddenSize * config.HiddenSize + 2.0 * config.HiddenSize * config.IntermediateSize);
        var tokens = (double)batch.InputIds.numel();
        var gemm = MatmulThroughput.Measure(TrainingBatch.BatchSize * TrainingBatch.MaxLength, config.HiddenSize, config.IntermediateSize, options.Rounds);

        Console.WriteLine($"training step, MiniLM-L6-H384, batch {TrainingBatch.BatchSize} x {TrainingBatch.MaxLength} tokens, {options.Threads} threads, median of {steps} steps after warm-up");
        Console.WriteLine($"  dense fine-tuning step : {dense * 1000,8:F0} ms  ({tokens / dense,8:N0} tokens/s)");
        Console.WriteLine($"  SMP-S step             : {smp * 1000,8:F0} ms  ({tokens / smp,8:N0} tokens/s), of which mask update {maskSeconds * 1000:F0} ms");
        Console.WriteLine($"  ratio SMP-S / dense    : {smp / dense:F2}");
        // Forward plus backward through the dense matmuls: 3x the forward's 2·params FLOP per token (input and weight gradients).
        var achieved = 3 * flopPerToken * tokens / smp / 1e9;
        Console.WriteLine($"  libtorch GEMM          : {gemm:F0} GFLOP/s");
        Console.WriteLine($"  SMP-S dense-matmul FLOP/s : {achieved:F0} GFLOP/s = {achieved / gemm:P0} of that GEMM");
    }

    /// <summary>Median seconds per step, and the median of the mask update alone.</summary>
    internal static (double Step, double Masks) Measure(ModelFolder folder, PruningMethod method, TokenBatch batch, Tensor labels, int steps,
        Precision precision = Precision.Fp32)
    {
        manual_seed(1);
        var (model, _) = BertCheckpointLoader.Load(folder);
        using var _model = model;
        MixedPrecision.Apply(model, precision, method.TrainsWeights());
        using var head = new LinearClassifierHead(model.Config.HiddenSize, 2, model.Config.HiddenDropoutProb);
        var pruner = new Pruner(model, method, 1.0, 1);
        foreach (var p in model.parameters()) p.requires_grad = method.TrainsWeights();
        foreach (var s in pruner.Scores) s.requires_grad = true;
        var trainable = model.parameters().Where(p => p.requires_grad).Concat(head.parameters()).ToList();
        using var optimizer = optim.AdamW(trainable, 1e-3, weight_decay: 0);
        model.train();
        head.train();

        var stepTimes = new List<double>();
        var maskTimes = new List<double>();
        for (var i = 0; i < steps + 1; i++)
        {
            var clock = Stopwatch.StartNew();
            pruner.UpdateMasks(0.5);
            var masks = clock.Elapsed.TotalSeconds;
            using (var scope = NewDisposeScope())
            {
                var hidden = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                var loss = TaskLoss.Supervised(head.call(hidden, batch.InputIds), labels, regression: false);
                var objective = method.UsesRegularizer() ? loss + pruner.Regularizer() * 100.0 : loss;
                optimizer.zero_grad();
                objective.backward();
                optimizer.step();
            }
            if (i == 0) continue; // warm-up
            stepTimes.Add(clock.Elapsed.TotalSeconds);
            maskTimes.Add(masks);
        }
        return (Median(stepTimes), Median(maskTimes));
    }

    internal static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
