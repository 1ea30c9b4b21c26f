using System.Diagnostics;
using static TorchSharp.torch;

namespace Sweeps.Bench;

/// <summary>libtorch's dense float32 GEMM throughput on this machine: the ceiling for a BERT's linear layers.</summary>
public static class MatmulThroughput
{
    /// <summary>Best GFLOP/s of nn.functional.linear over [tokens, input] · [input, output]ᵀ.</summary>
    public static double Measure(long tokens, long input, long output, int rounds)
    {
        using var x = randn(tokens, input);
        using var w = randn(output, input);
        using var b = randn(output);
        nn.functional.linear(x, w, b).Dispose();
        var best = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 10; i++) nn.functional.linear(x, w, b).Dispose();
            best = Math.Max(best, 10 * 2.0 * tokens * input * output / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }
}
