using System.Diagnostics;
using static TorchSharp.torch;

namespace Sweeps.Bench;

/// <summary>libtorch's dense GEMM throughput on this machine (float32 unless told): the ceiling for a BERT's linear layers.</summary>
public static class MatmulThroughput
{
    /// <summary>Best GFLOP/s of nn.functional.linear over [tokens, input] · [input, output]ᵀ.</summary>
    public static double Measure(long tokens, long input, long output, int rounds, ScalarType type = ScalarType.Float32)
    {
        using var x = randn(tokens, input, dtype: type);
        using var w = randn(output, input, dtype: type);
        using var b = randn(output, dtype: type);
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
