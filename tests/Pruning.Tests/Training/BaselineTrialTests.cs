using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;
using static TorchSharp.torch;

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

    private static Tensor Parameter(ClassifierHead head, string name) => head.named_parameters().Single(p => p.name == name).parameter;

    private static double Std(Tensor values) => values.std().item<float>();

    [Theory]
    [InlineData(PruningMethod.Dense)]
    [InlineData(PruningMethod.Magnitude)]
    [InlineData(PruningMethod.Movement)]
    public void Prepare_BaselinesHead_IsBertForSequenceClassifications(PruningMethod method)
    {
        var config = Config(method);
        using var session = Trainer(config).Prepare();

        var head = Assert.IsType<LinearClassifierHead>(session.Head);
        Assert.True(head.HasPooler);
        // The checkpoint's pooler, trained with the weights at their rate.
        var (model, _) = BertCheckpointLoader.Load(tiny.Folder);
        using (model)
        {
            var original = model.named_parameters().Single(p => p.name == "bert.pooler.dense.weight").parameter;
            Assert.True(Parameter(head, "pooler.dense.weight").equal(original).all().item<bool>());
        }
        var pooler = Parameter(head, "pooler.dense.weight");
        Assert.Equal(config.WeightLearningRate, session.Groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, pooler))).LearningRate);
        Assert.Equal(config.HeadLearningRate, session.Groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, Parameter(head, "classifier.weight")))).LearningRate);
        // N(0, 0.02²) weights, zero bias: 64 draws have a std near 0.02, where TorchSharp's default (uniform within ±1/√32) has 0.10.
        Assert.InRange(Std(Parameter(head, "classifier.weight")), 0.01, 0.03);
        Assert.Equal([0f, 0f], Parameter(head, "classifier.bias").data<float>().ToArray());
    }

    [Theory]
    [InlineData(PruningMethod.SmpLocal)]
    [InlineData(PruningMethod.SmpScoreAllocated)]
    public void Prepare_SmpsLinearHead_ReadsTheClsStateWithTorchSharpsInitialisation(PruningMethod method)
    {
        using var session = Trainer(Config(method)).Prepare();

        var head = Assert.IsType<LinearClassifierHead>(session.Head);
        Assert.False(head.HasPooler);
        Assert.Equal(["classifier.weight", "classifier.bias"], head.named_parameters().Select(p => p.name));
        Assert.True(Std(Parameter(head, "classifier.weight")) > 0.05);
    }

    [Fact]
    public void Prepare_GivenHeadSettings_ReplaceTheMethodsReference()
    {
        using (var session = Trainer(Config(PruningMethod.Movement) with { Pooler = 0, HeadInitStd = 0 }).Prepare())
        {
            var head = Assert.IsType<LinearClassifierHead>(session.Head);
            Assert.False(head.HasPooler);
            Assert.True(Std(Parameter(head, "classifier.weight")) > 0.05);
        }
        using (var session = Trainer(Config(PruningMethod.SmpLocal) with { Pooler = 1, HeadInitStd = 0.5 }).Prepare())
        {
            var head = Assert.IsType<LinearClassifierHead>(session.Head);
            Assert.True(head.HasPooler);
            Assert.InRange(Std(Parameter(head, "classifier.weight")), 0.3, 0.7);
            // SMP trains no weights: its pooler is trained with the head.
            var pooler = Parameter(head, "pooler.dense.weight");
            Assert.Equal(session.Groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, pooler))).LearningRate,
                session.Groups.Single(g => g.Parameters.Any(p => ReferenceEquals(p, Parameter(head, "classifier.weight")))).LearningRate);
        }
    }

    [Fact]
    public void Prepare_CheckpointWithoutAPooler_InitialisesOneAsHuggingFaceDoes()
    {
        // MiniLM's checkpoint, like any masked-LM one, has no pooler.
        using var folder = new TemporaryFolder();
        foreach (var file in Directory.GetFiles(tiny.Directory)) File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        var weights = Path.Combine(folder.Path, ModelFolder.WeightsFileName);
        Dictionary<string, Tensor> tensors;
        using (var file = SafetensorsFile.Open(weights))
            tensors = file.Entries.Keys.Where(n => !n.Contains("pooler")).ToDictionary(n => n, file.ReadFloat32);
        SafetensorsFile.Write(weights, tensors);
        var config = Config(PruningMethod.Dense) with { Model = folder.Path };

        using var session = new TrialTrainer(config, task, ModelFolder.Open(folder.Path), output.Path, new SweepsCache(output.Path)).Prepare();

        var head = Assert.IsType<LinearClassifierHead>(session.Head);
        Assert.InRange(Std(Parameter(head, "pooler.dense.weight")), 0.018, 0.022); // 1,024 draws of N(0, 0.02²)
        Assert.All(Parameter(head, "pooler.dense.bias").data<float>().ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Run_PooledHead_TrainsThePooler_AndItsArtefactReproducesTheTrialsDevMetrics()
    {
        var result = Trainer(Config(PruningMethod.Movement) with { WeightLearningRate = 1e-3 }).Run();

        var (model, head, encoder) = TrialArtifact.Load(output.Path, new SweepsCache(output.Path));
        using (model)
        using (head)
        {
            Assert.True(Assert.IsType<LinearClassifierHead>(head).HasPooler);
            var (original, _) = BertCheckpointLoader.Load(tiny.Folder);
            using (original)
                Assert.False(Parameter(head, "pooler.dense.weight").equal(original.named_parameters().Single(p => p.name == "bert.pooler.dense.weight").parameter).all().item<bool>());
            var metrics = TrialEvaluator.Evaluate(model, head, task, new Pruning.Text.TextBatcher(encoder, 16, 16), CPU);
            Assert.Equal(result.DevMetrics, metrics.Metrics);
        }
    }
}
