namespace Sweeps.Search.Tests;

public sealed class DistributionTests
{
    [Fact]
    public void LogUniform_SpendsEqualShareOnEachDecade_AndKeepsFourDigits()
    {
        var lr = new Distribution(DistributionKind.LogUniform, 1e-3, 1e-1, []);

        Assert.Equal(1e-3, lr.At(0));
        Assert.Equal(1e-2, lr.At(0.5));
        Assert.Equal(0.003162, lr.At(0.25));
        Assert.Equal(0.1, lr.At(0.999999999));
    }

    [Fact]
    public void IntUniform_GivesEveryIntegerIncludingBothBounds_AndChoiceEveryValue()
    {
        var steps = new Distribution(DistributionKind.IntUniform, 10, 12, []);
        var batch = new Distribution(DistributionKind.Choice, 8, 32, [8, 16, 32]);
        double[] grid = [0, 0.2, 0.34, 0.5, 0.67, 0.9, 0.999999];

        Assert.Equal([10.0, 11, 12], grid.Select(steps.At).Distinct().Order());
        Assert.Equal([8.0, 16, 32], grid.Select(batch.At).Distinct().Order());
    }

    [Fact]
    public void Uniform_StaysWithinItsBounds_AfterRounding()
    {
        var lambda = new Distribution(DistributionKind.Uniform, 0.12345, 0.98765, []);

        Assert.All(Enumerable.Range(0, 1000).Select(i => lambda.At(i / 1000.0)), v => Assert.InRange(v, 0.12345, 0.98765));
        Assert.Equal(0.1235, lambda.At(0)); // four significant digits, clamped to the bounds
    }
}
