using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>How long a trial trains and on which schedules, from its settings and its training set's size.</summary>
public sealed class TrainingPlanTests
{
    private static readonly TrialConfig Config = new() { Task = "sst2", Method = PruningMethod.SmpScoreAllocated, Keep = 0.5, Epochs = 2.5, BatchSize = 8 };

    [Fact]
    public void Steps_RoundAPartialBatchAndAPartialEpochUp_AndTheDefaultsFollowThem()
    {
        var plan = TrainingPlan.For(Config, "sst2", 81);

        Assert.Equal((11, 28, 0.5, 11), (plan.StepsPerEpoch, plan.TotalSteps, plan.FinalKeep, plan.EvalEvery));
        Assert.Equal(28, plan.Lambda.RampSteps);
        Assert.True(plan.Keep.ReachedAt(28));
        Assert.False(plan.Keep.ReachedAt(1));
    }

    [Fact]
    public void DenseFineTuning_KeepsEverything()
    {
        var plan = TrainingPlan.For(Config with { Method = PruningMethod.Dense }, "sst2", 80);

        Assert.Equal(1.0, plan.FinalKeep);
    }

    [Fact]
    public void NoExamples_OrMoreStepsThanATrialMayTrain_AreClearErrors()
    {
        Assert.Contains("no training examples", Assert.Throws<ArgumentException>(() => TrainingPlan.For(Config, "sst2", 0)).Message);
        var error = Assert.Throws<ArgumentException>(() => TrainingPlan.For(Config with { Epochs = 1000, BatchSize = 1 }, "mnli", 392_702));
        Assert.Contains("at most 100,000,000", error.Message);
    }
}
