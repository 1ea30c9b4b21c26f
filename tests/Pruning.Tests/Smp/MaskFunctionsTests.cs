using Sweeps.Pruning.Smp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Smp;

public sealed class MaskFunctionsTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.03)]
    public void TopK_RandomScores_KeepsExactlyTheLargest(double keep)
    {
        manual_seed(5);
        using var scores = randn(64, 48);
        var count = MaskFunctions.KeepCount(keep, scores.numel());

        using var mask = MaskFunctions.TopK(scores, count);

        Assert.Equal(count, (long)mask.sum().item<float>());
        using var kept = scores.masked_select(mask.to(ScalarType.Bool));
        using var dropped = scores.masked_select(mask.to(ScalarType.Bool).logical_not());
        Assert.True(kept.min().item<float>() >= dropped.max().item<float>());
    }

    [Fact]
    public void TopK_AllEqualScores_StillKeepsExactCount()
    {
        using var scores = zeros(10, 10);
        using var mask = MaskFunctions.TopK(scores, 37);
        Assert.Equal(37f, mask.sum().item<float>());
    }

    [Fact]
    public void AllocateKeepFractions_ProportionalToMeanSigmoid()
    {
        var fractions = MaskFunctions.AllocateKeepFractions([0.2, 0.4, 0.6, 0.8], 0.25);

        // k_i = k · L · a_i / Σa = 0.25 · 4 · a_i / 2.0
        Assert.Equal([0.1, 0.2, 0.3, 0.4], fractions.Select(f => Math.Round(f, 12)));
    }

    [Fact]
    public void AllocateKeepFractions_LayerOverFull_ExcessRedistributedAndTotalExact()
    {
        var fractions = MaskFunctions.AllocateKeepFractions([0.9, 0.1, 0.1, 0.1], 0.6);

        Assert.Equal(1.0, fractions[0]);
        Assert.All(fractions, f => Assert.InRange(f, 0, 1));
        Assert.Equal(0.6 * 4, fractions.Sum(), 12);
        Assert.Equal(fractions[1], fractions[2], 12);
    }

    [Fact]
    public void KeepCounts_FractionalShares_SumExactlyToTheBudget()
    {
        var counts = MaskFunctions.KeepCounts([0.1234, 0.3333, 0.5432, 0.0001], 1000, 1000);

        Assert.Equal(1000, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 0, 1000));
    }
}
