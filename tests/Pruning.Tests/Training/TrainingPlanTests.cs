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

    [Theory]
    [InlineData(null, new[] { 20, 24 })]   // from the keep schedule's end (prune_steps 20)
    [InlineData(0, new[] { 4, 8, 12, 16, 20, 24 })]
    [InlineData(10, new[] { 12, 16, 20, 24 })]
    public void Evaluations_FollowEvalEveryFromEvalFromOrTheTarget_AndLeaveTheLastStepToTheEnd(int? evalFrom, int[] expected)
    {
        var plan = TrainingPlan.For(Config with { EvalEvery = 4, PruneSteps = 20, EvalFrom = evalFrom }, "sst2", 81);

        Assert.Equal(28, plan.TotalSteps);
        Assert.Equal(expected, Enumerable.Range(1, plan.TotalSteps).Where(plan.EvaluatesAfter));
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

    private static TrainingPlan Plan(TrialConfig config) => TrainingPlan.For(config with { Epochs = 1, BatchSize = 1 }, "sst2", 200);

    [Theory]
    [InlineData(PruningMethod.Magnitude)]
    [InlineData(PruningMethod.Movement)]
    public void MagnitudeAndMovement_RunTheirReferencesSchedule(PruningMethod method)
    {
        // masked_run_glue.py: warm-up over a tenth of training, keep 1 for initial_warmup (1) × warm-up, the target from
        // T − final_warmup (2) × warm-up.
        var plan = Plan(Config with { Method = method });

        Assert.Equal((20, 20, 160), (plan.LearningRate.WarmupSteps, plan.Keep.DenseSteps, plan.Keep.PruneSteps));
        Assert.Equal(1.0, plan.Keep.KeepAt(20));
        Assert.True(plan.Keep.KeepAt(21) < 1.0);
    }

    [Theory]
    [InlineData(PruningMethod.SmpLocal)]
    [InlineData(PruningMethod.SmpScoreAllocated)]
    public void Smp_RunsItsReferencesSchedule_NoWarmUpNoInitialHold(PruningMethod method)
    {
        var plan = Plan(Config with { Method = method });

        Assert.Equal((0, 0, 133), (plan.LearningRate.WarmupSteps, plan.Keep.DenseSteps, plan.Keep.PruneSteps));
        Assert.Equal(1.0, plan.LearningRate.FactorAt(0));
    }

    [Fact]
    public void Dense_WarmsUpAsItsReference_AndHasNoMasksToHold()
    {
        var plan = Plan(Config with { Method = PruningMethod.Dense });

        Assert.Equal((20, 0), (plan.LearningRate.WarmupSteps, plan.Keep.DenseSteps));
    }

    [Fact]
    public void GivenSettings_ReplaceTheMethodsReference()
    {
        var movement = Config with { Method = PruningMethod.Movement };

        var plan = Plan(movement with { WarmupSteps = 10, InitialWarmup = 3, FinalWarmup = 5 });
        Assert.Equal((10, 30, 150), (plan.LearningRate.WarmupSteps, plan.Keep.DenseSteps, plan.Keep.PruneSteps));
        plan = Plan(movement with { WarmupFraction = 0.05, InitialWarmup = 0 });
        Assert.Equal((10, 0, 180), (plan.LearningRate.WarmupSteps, plan.Keep.DenseSteps, plan.Keep.PruneSteps));
        // The schedule's end given in steps takes precedence over final_warmup's default.
        Assert.Equal(100, Plan(movement with { PruneSteps = 100 }).Keep.PruneSteps);
        Assert.Equal(150, Plan(movement with { PruneHoldSteps = 50 }).Keep.PruneSteps);
        // SMP with the movement-pruning reference's settings.
        plan = Plan(Config with { WarmupFraction = 0.1, InitialWarmup = 1, FinalWarmup = 2 });
        Assert.Equal((20, 20, 160), (plan.LearningRate.WarmupSteps, plan.Keep.DenseSteps, plan.Keep.PruneSteps));
    }

    [Fact]
    public void FinalWarmupWithTheEndInSteps_OrBothWarmUpForms_AreErrors()
    {
        Assert.Contains("final_warmup", Assert.Throws<ArgumentException>(() => (Config with { FinalWarmup = 2, PruneSteps = 10 }).Validate()).Message);
        Assert.Contains("warmup_steps", Assert.Throws<ArgumentException>(() => (Config with { WarmupFraction = 0.1, WarmupSteps = 10 }).Validate()).Message);
        Assert.Contains("initial_warmup", Assert.Throws<ArgumentException>(() => Plan(Config with { Method = PruningMethod.Movement, WarmupFraction = 0.4 })).Message);
    }
}
