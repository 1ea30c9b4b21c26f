using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>The baselines as their references run them: the settings reach the trial's schedule, optimiser and head.</summary>
public sealed class BaselineTrialTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder output = new();
    private readonly TextTask task = TinyTasks.Spam();

    public void Dispose()
    {
        tiny.Dispose();
        output.Dispose();
    }

    // 96 examples in batches of 8 for 4 epochs: 48 steps.
    private TrialConfig Config(PruningMethod method, double keep = 0.5) => new()
    {
        Task = task.Name,
        Model = tiny.Directory,
        Method = method,
        Keep = keep,
        Epochs = 4,
        BatchSize = 8,
        MaxLength = 16,
        Seed = 5,
    };

    private TrialTrainer Trainer(TrialConfig config, IProgress<TrialProgress>? progress = null) =>
        new(config, task, tiny.Folder, output.Path, new SweepsCache(output.Path), progress);

    private sealed class Reports : IProgress<TrialProgress>
    {
        public List<TrialProgress> Steps { get; } = [];

        public void Report(TrialProgress value)
        {
            if (value.Phase == TrainingPhase.Training) Steps.Add(value);
        }
    }

    [Theory]
    [InlineData(PruningMethod.Movement)]
    [InlineData(PruningMethod.Magnitude)]
    public void Run_ReferenceWarmUp_KeepsEveryWeightForTheHoldsSteps(PruningMethod method)
    {
        var config = Config(method, keep: 0.1);
        int hold;
        using (var session = Trainer(config).Prepare())
        {
            // A tenth of 48 steps is 5 of warm-up; initial_warmup 1 holds the model dense for 5 steps, final_warmup 2 keeps
            // the target for the last 10.
            hold = session.Plan.Keep.DenseSteps;
            Assert.Equal((48, 5, 5, 38), (session.Plan.TotalSteps, session.Plan.LearningRate.WarmupSteps, hold, session.Plan.Keep.PruneSteps));
            for (var step = 0; step <= hold; step++)
            {
                session.Pruner.UpdateMasks(session.Plan.Keep.KeepAt(step));
                Assert.Equal(1.0, session.Pruner.OverallKeepFraction());
            }
            session.Pruner.UpdateMasks(session.Plan.Keep.KeepAt(hold + 1));
            Assert.True(session.Pruner.OverallKeepFraction() < 1.0);
        }

        var reports = new Reports();
        var result = Trainer(config, reports).Run();

        // Each step's report carries the keep fraction that step trained at.
        Assert.All(reports.Steps.Take(hold + 1), r => Assert.Equal(1.0, r.KeepFraction));
        Assert.True(reports.Steps[hold + 1].KeepFraction < 1.0);
        Assert.Equal(0.1, result.AchievedKeepFraction, 2);
    }

    [Theory]
    [InlineData(PruningMethod.Dense, 5, 0)]
    [InlineData(PruningMethod.Magnitude, 5, 5)]
    [InlineData(PruningMethod.Movement, 5, 5)]
    [InlineData(PruningMethod.SmpLocal, 0, 0)]
    [InlineData(PruningMethod.SmpScoreAllocated, 0, 0)]
    public void Prepare_EachMethodsReference_WarmUpHoldAndOptimiser(PruningMethod method, int warmup, int hold)
    {
        using var session = Trainer(Config(method)).Prepare();

        Assert.Equal((warmup, hold), (session.Plan.LearningRate.WarmupSteps, session.Plan.Keep.DenseSteps));
        Assert.True(session.Optimizer.IsTransformers);
        session.Optimizer.SetLearningRates(session.Plan.LearningRate.FactorAt(0));
        // With a warm-up the first step's learning rates are 0, as get_linear_schedule_with_warmup's.
        Assert.All(session.Optimizer.LearningRates, rate => Assert.Equal(warmup > 0, rate == 0));
    }

    [Fact]
    public void Prepare_GivenSettings_ReachTheTrialsScheduleAndOptimiser()
    {
        var config = Config(PruningMethod.Movement) with { WarmupSteps = 8, InitialWarmup = 2, FinalWarmup = 1, TransformersAdamW = 0 };
        using var session = Trainer(config).Prepare();

        Assert.Equal((8, 16, 40), (session.Plan.LearningRate.WarmupSteps, session.Plan.Keep.DenseSteps, session.Plan.Keep.PruneSteps));
        Assert.False(session.Optimizer.IsTransformers);
    }
}
