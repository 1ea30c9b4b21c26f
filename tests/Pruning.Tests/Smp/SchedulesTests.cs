using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Tests.Smp;

public sealed class SchedulesTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.1 + 0.9 * 0.125)] // (1 - 50/100)^3
    [InlineData(75, 0.1 + 0.9 * 0.015625)]
    [InlineData(100, 0.1)]
    [InlineData(150, 0.1)]
    public void KeepAt_CubicToTargetThenHeld(int step, double expected) =>
        Assert.Equal(expected, new KeepSchedule(0.1, 100).KeepAt(step), 12);

    [Fact]
    public void ForTraining_DefaultReachesTargetAtTwoThirds() =>
        Assert.Equal(200, KeepSchedule.ForTraining(0.5, 300).PruneSteps);

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(50, 400 * (1 - 0.125))]
    [InlineData(100, 400.0)]
    public void LambdaAt_RisesCubicallyToFinal(int step, double expected) =>
        Assert.Equal(expected, new RegularizerSchedule(400, 100).LambdaAt(step), 9);
}
