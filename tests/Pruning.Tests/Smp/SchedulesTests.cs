using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;

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

    [Fact]
    public void ForTraining_PruneSteps_ReachesTargetAtThatStep() =>
        Assert.Equal(5_250, KeepSchedule.ForTraining(0.7, 20_000, pruneSteps: 5_250).PruneSteps);

    [Fact]
    public void ForTraining_HoldSteps_ReachesTargetThatManyStepsBeforeTheEnd() =>
        Assert.Equal(43_632, KeepSchedule.ForTraining(0.1, 73_632, holdSteps: 30_000).PruneSteps);

    [Theory]
    [InlineData(101, null, "prune_steps = 101")]
    [InlineData(null, 100, "prune_hold_steps = 100")]
    public void ForTraining_TargetNeverReachedInTraining_IsAnError(int? pruneSteps, int? holdSteps, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => KeepSchedule.ForTraining(0.5, 100, pruneSteps: pruneSteps, holdSteps: holdSteps));

        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(16, true)]
    [InlineData(14, false)]
    public void ReachedAt_FromThePruneStepOn(int step, bool reached) =>
        Assert.Equal(reached, new KeepSchedule(0.5, 15).ReachedAt(step));

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(10, 1.0)] // the initial hold: every weight kept up to and at step H
    [InlineData(45, 0.1 + 0.9 * 0.125)] // (1 − (45 − 10)/(80 − 10))³
    [InlineData(80, 0.1)]
    [InlineData(99, 0.1)]
    public void KeepAt_WithAnInitialHold_KeepsEverythingThenFallsCubicallyToTheTarget(int step, double expected) =>
        Assert.Equal(expected, new KeepSchedule(0.1, 80, DenseSteps: 10).KeepAt(step), 12);

    [Fact]
    public void ForTraining_InitialHoldReachingTheTarget_IsAnErrorNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => KeepSchedule.ForTraining(0.5, 100, holdSteps: 20, denseSteps: 80));

        Assert.Contains("initial_warmup", error.Message);
        Assert.Equal(10, KeepSchedule.ForTraining(1.0, 100, holdSteps: 20, denseSteps: 10).DenseSteps);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(5, 0.5)]
    [InlineData(10, 1.0)] // (100 − 10)/(100 − 10)
    [InlineData(55, 0.5)]
    [InlineData(100, 0.0)]
    public void LearningRate_WarmsUpLinearlyFromZero_ThenDecaysLinearlyToZero(int step, double expected) =>
        Assert.Equal(expected, new LearningRateSchedule(10, 100).FactorAt(step), 12);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 0.75)]
    [InlineData(100, 0.0)]
    public void LearningRate_WithoutWarmUp_DecaysFromTheFirstStep(int step, double expected) =>
        Assert.Equal(expected, new LearningRateSchedule(0, 100).FactorAt(step), 12);

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(50, 400 * (1 - 0.125))]
    [InlineData(100, 400.0)]
    public void LambdaAt_RisesCubicallyToFinal(int step, double expected) =>
        Assert.Equal(expected, new RegularizerSchedule(400, 100).LambdaAt(step), 9);

    [Theory]
    [InlineData(25, 400 * (1 - 0.125))]
    [InlineData(50, 400.0)]
    [InlineData(90, 400.0)]
    public void LambdaAt_RampGivenInSteps_ReachesFinalThereAndHolds(int step, double expected) =>
        Assert.Equal(expected, new RegularizerSchedule(400, 50).LambdaAt(step), 9);
}
