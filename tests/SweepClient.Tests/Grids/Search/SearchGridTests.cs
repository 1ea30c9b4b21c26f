using Sweeps.Search;
using Sweeps.SweepClient.Grids;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Grids.Search;

/// <summary>Random and Sobol search in grid.yaml: samples crossed with the grid's lists, ids that repeat with the seed, errors located.</summary>
public sealed class SearchGridTests : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-search-");

    public void Dispose() => folder.Dispose();

    private string Grid(string search, string training = "score_lr: {log_uniform: [1e-3, 1e-1]}\n  final_lambda: {uniform: [50, 800]}", string seeds = "[1]") =>
        folder.Write($"{Guid.NewGuid():N}.yaml", $"""
            name: s
            tasks: [spam-assassin]
            methods: [smp-s]
            keep: [0.5, 0.1]
            seeds: {seeds}
            search: {search}
            training:
              {training}
            """);

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public void Samples_AreCrossedWithTheListAxes_TheSamePointsInEveryCell(string method)
    {
        var sweep = GridFile.Load(Grid($"{{method: {method}, samples: 5, seed: 3}}", seeds: "[1, 2]"));

        Assert.Equal(5 * 2 * 2, sweep.Trials.Count);
        var pointsPerCell = sweep.Trials.GroupBy(t => (t.Keep, t.Seed))
            .Select(g => g.Select(t => (t.Training.ScoreLearningRate, t.Training.FinalLambda)).ToList()).ToList();
        Assert.All(pointsPerCell, points => Assert.Equal(pointsPerCell[0], points));
        Assert.Equal(5, pointsPerCell[0].Distinct().Count());
        Assert.All(sweep.Trials, t =>
        {
            Assert.InRange(t.Training.ScoreLearningRate, 1e-3, 1e-1);
            Assert.InRange(t.Training.FinalLambda, 50, 800);
        });
    }

    [Fact]
    public void TheSameSeed_GivesTheSameTrialIds_AndAnotherSeedOthers()
    {
        var ids = GridFile.Load(Grid("{method: random, samples: 4, seed: 1}")).Trials.Select(t => t.Id).ToList();
        var again = GridFile.Load(Grid("{method: random, samples: 4, seed: 1}")).Trials.Select(t => t.Id).ToList();
        var other = GridFile.Load(Grid("{method: random, samples: 4, seed: 2}")).Trials.Select(t => t.Id).ToList();

        Assert.Equal(ids, again);
        Assert.Empty(ids.Intersect(other));
    }

    [Fact]
    public void ASampleEqualToAnother_IsOneTrial()
    {
        var sweep = GridFile.Load(Grid("{method: random, samples: 50, seed: 0}", "batch_size: {choice: [8, 16]}"));

        Assert.Equal(4, sweep.Trials.Count); // two batch sizes × two keep fractions
    }

    [Fact]
    public void IntegerSettings_AreSampledAsIntegers()
    {
        var sweep = GridFile.Load(Grid("{method: sobol, samples: 16}", "eval_every: {int_uniform: [10, 40]}\n  batch_size: {choice: [8, 16, 32]}"));

        Assert.All(sweep.Trials, t => Assert.InRange(t.Training.EvalEvery!.Value, 10, 40));
        Assert.Equal([8, 16, 32], sweep.Trials.Select(t => t.Training.BatchSize).Distinct().Order());
    }

    [Theory]
    [InlineData("{method: grid}", "search.method", 6)]
    [InlineData("{method: random}", "search.samples", 6)]
    [InlineData("{method: annealing, samples: 3}", "search.method", 6)]
    [InlineData("{method: random, samples: 0}", "search.samples", 6)]
    public void ABadSearch_IsRefused_AtItsLine(string search, string key, int line)
    {
        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid(search)));

        Assert.Contains(error.Errors, e => e.Key == key && e.Line == line);
    }

    [Theory]
    [InlineData("score_lr: {log_uniform: [0, 1e-1]}", "training.score_lr.log_uniform")]
    [InlineData("score_lr: {log_uniform: [1e-1, 1e-3]}", "training.score_lr.log_uniform")]
    [InlineData("score_lr: {normal: [0.01, 0.1]}", "training.score_lr")]
    [InlineData("score_lr: {uniform: [0.01, 2e6]}", "training.score_lr.uniform")]
    [InlineData("batch_size: {uniform: [8, 16]}", "training.batch_size")]
    [InlineData("eval_every: {int_uniform: [1.5, 16]}", "training.eval_every.int_uniform")]
    [InlineData("batch_size: {choice: [8]}", "training.batch_size.choice")]
    public void ABadDistribution_IsRefused_NamingTheSettingAtLineEight(string training, string key)
    {
        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid("{method: random, samples: 3}", training)));

        Assert.Contains(error.Errors, e => e.Key == key && e.Line == 8);
    }

    [Fact]
    public void Distributions_WithoutASearch_AreRefused()
    {
        var path = folder.Write("no-search.yaml", """
            name: s
            tasks: [spam-assassin]
            keep: [0.5]
            training:
              score_lr: {log_uniform: [1e-3, 1e-1]}
            """);

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path));

        Assert.Contains(error.Errors, e => e.Key == "search");
    }

    [Fact]
    public void ASobolSearch_OfMoreSettingsThanItsTable_IsRefused_ARandomOneIsNot()
    {
        string[] keys = ["epochs", "score_lr", "head_lr", "weight_lr", "final_lambda", "temperature", "prune_fraction", "max_grad_norm", "dev_limit", "train_limit", "lambda_steps"];
        var training = string.Join("\n  ", keys.Select(k => k is "dev_limit" or "train_limit" or "lambda_steps" ? $"{k}: {{int_uniform: [10, 20]}}" : $"{k}: {{uniform: [0.1, 0.9]}}"));

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid("{method: sobol, samples: 3}", training)));
        Assert.Contains(error.Errors, e => e.Key == "search.method");
        Assert.Equal(6, GridFile.Load(Grid("{method: random, samples: 3}", training)).Trials.Count);
    }
}

/// <summary>search: {method: tpe} in grid.yaml: a plan the sweep proposes from, its trials the grid's own for each point.</summary>
public sealed class TpeGridTests : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-tpe-");

    public void Dispose() => folder.Dispose();

    private string Grid(string search, string extra = "") => folder.Write($"{Guid.NewGuid():N}.yaml", $$"""
        name: s
        tasks: [spam-assassin]
        methods: [smp-s]
        keep: [0.5, 0.1]
        seeds: [1, 2]
        distillation: [off, teacher]
        search: {{search}}
        training:
          score_lr: {log_uniform: [1e-3, 1e-1]}
          batch_size: {choice: [8, 16]}
        {{extra}}
        """);

    [Fact]
    public void ATpeSearch_IsAPlan_WhosePointsAreTheTrialsTheGridWouldExpandForThem()
    {
        var tpe = GridFile.Load(Grid("{method: tpe, samples: 30, seed: 4, startup: 5}"));
        var random = GridFile.Load(Grid("{method: random, samples: 3, seed: 9}"));

        Assert.Empty(tpe.Trials);
        var plan = Assert.IsType<Sweeps.Grains.Interfaces.Sweeps.SearchPlan>(tpe.Search);
        Assert.Equal(("tpe", 30, 4, 5), (plan.Method, plan.Samples, plan.Seed, plan.Startup));
        Assert.Equal(["batch_size", "score_lr"], plan.Settings.Select(s => s.Key)); // in the order of the training settings
        Assert.Equal([8.0, 16.0], plan.Settings[0].Choices);
        Assert.Equal(("log_uniform", 1e-3, 1e-1), (plan.Settings[1].Kind, plan.Settings[1].Low, plan.Settings[1].High));
        // Two keeps × two seeds × KD off and on, and a teacher per seed.
        Assert.Equal(10, plan.BaseTrials.Count);
        Assert.Equal(300, tpe.PlannedTrials);

        // Each of the random search's points, set by the plan, gives the very trials (ids, teachers) the grid expanded.
        foreach (var point in random.Trials.GroupBy(t => (t.Training.ScoreLearningRate, t.Training.BatchSize)))
        {
            var values = new Dictionary<string, double> { ["score_lr"] = point.Key.ScoreLearningRate, ["batch_size"] = point.Key.BatchSize };
            Assert.Equal(point.Select(t => t.Id).Order(), plan.TrialsAt(values).Select(t => t.Id).Order());
        }
    }

    [Fact]
    public void ATpeSearchsId_FollowsItsPlan()
    {
        var id = Sweeps.Grains.Interfaces.Sweeps.SweepIds.Of(GridFile.Load(Grid("{method: tpe, samples: 30, seed: 4}")));

        Assert.Equal(id, Sweeps.Grains.Interfaces.Sweeps.SweepIds.Of(GridFile.Load(Grid("{method: tpe, samples: 30, seed: 4}"))));
        Assert.NotEqual(id, Sweeps.Grains.Interfaces.Sweeps.SweepIds.Of(GridFile.Load(Grid("{method: tpe, samples: 30, seed: 5}"))));
        Assert.NotEqual(id, Sweeps.Grains.Interfaces.Sweeps.SweepIds.Of(GridFile.Load(Grid("{method: tpe, samples: 31, seed: 4}"))));
    }

    [Fact]
    public void TheRandomExample_DrawsThePointsItsDocumentedRunRan()
    {
        // docs/benchmarks.md's five best of examples/search-spam.yaml: the same seed draws the same points, release after release.
        var drawn = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "search-spam.yaml")).Trials
            .Select(t => (t.Training.ScoreLearningRate, t.Training.FinalLambda)).ToList();

        Assert.Equal(27, drawn.Count);
        Assert.Contains((0.04303, 680.0), drawn);
        Assert.Contains((0.06487, 359.3), drawn);
        Assert.Contains((0.01842, 380.9), drawn);
    }

    [Fact]
    public void TheTpeExample_SearchesTheRandomExamplesSpace_WithTheSameBudget()
    {
        var tpe = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "search-spam-tpe.yaml"));
        var random = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "search-spam.yaml"));

        var plan = tpe.Search!;
        Assert.Equal(random.Trials.Count, plan.Samples);
        Assert.All(random.Trials, trial => Assert.Equal(trial.Id, Assert.Single(plan.TrialsAt(new Dictionary<string, double>
        {
            ["score_lr"] = trial.Training.ScoreLearningRate, ["final_lambda"] = trial.Training.FinalLambda,
        })).Id));
    }

    [Fact]
    public void ATwoObjectiveSearch_SamplesTheKeepFractionOfItsPrunedTrials_AndJudgesPointsByBoth()
    {
        var path = folder.Write("pareto.yaml", """
            name: s
            tasks: [spam-assassin]
            methods: [smp-s]
            keep: {log_uniform: [0.03, 0.5]}
            distillation: [teacher]
            search: {method: tpe, samples: 20}
            objectives: [{metric: accuracy, mode: max}, {keep: min}]
            training:
              score_lr: {log_uniform: [1e-3, 1e-1]}
            """);

        var plan = GridFile.Load(path).Search!;

        Assert.Equal(["keep", "score_lr"], plan.Settings.Select(s => s.Key).Order());
        Assert.Equal(["accuracy max", "keep min"], plan.Objectives!.Select(o => o.ToString()));
        var point = plan.TrialsAt(new Dictionary<string, double> { ["keep"] = 0.07, ["score_lr"] = 0.02 });
        Assert.Equal([("dense", 1.0), ("smp-s", 0.07)], point.Select(t => (t.Method, t.Keep)));
        Assert.All(point, t => Assert.Equal(0.02, t.Training.ScoreLearningRate));
        Assert.Equal(point[0].Id, point[1].Distillation!.TeacherTrialId);
    }

    [Fact]
    public void TheParetoExample_SamplesKeepAndLambda_ForAccuracyAgainstSize()
    {
        var plan = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "search-spam-pareto.yaml")).Search!;

        Assert.Equal(["final_lambda", "keep"], plan.Settings.Select(s => s.Key).Order());
        Assert.Equal(["accuracy max", "keep min"], plan.Objectives!.Select(o => o.ToString()));
        Assert.Equal(12, plan.PlannedTrials);
    }

    [Fact]
    public void ASampledKeepFraction_WithoutTpe_IsRefusedAtItsLine()
    {
        var path = folder.Write("random-keep.yaml", """
            name: s
            tasks: [spam-assassin]
            keep: {uniform: [0.1, 0.5]}
            search: {method: random, samples: 4}
            training:
              score_lr: {log_uniform: [1e-3, 1e-1]}
            """);

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path));

        Assert.Contains(error.Errors, e => e.Key == "keep" && e.Line == 3);
    }

    [Theory]
    [InlineData("{method: random, samples: 3, startup: 2}", "", "search.startup", 7)]
    [InlineData("{method: tpe, samples: 3, startup: 0}", "", "search.startup", 7)]
    [InlineData("{method: tpe, samples: 3}", "overrides:\n  - when: {keep: 0.1}\n    training: {score_lr: 0.01}", "overrides", 12)]
    [InlineData("{method: random, samples: 3}", "objectives: [{keep: min}, {metric: accuracy}]", "objectives", 11)]
    [InlineData("{method: tpe, samples: 3}", "objectives: [{keep: min, metric: accuracy}]", "objectives", 11)]
    [InlineData("{method: tpe, samples: 3}", "objectives: [{keep: smallest}]", "objectives.keep", 11)]
    [InlineData("{method: tpe, samples: 3}", "objectives: [{keep: min}, {keep: min}]", "objectives", 11)]
    [InlineData("{method: tpe, samples: 3}", "objectives: []", "objectives", 11)]
    [InlineData("{method: tpe, samples: 3}", "objectives: [{metric: matthews, mode: max}, {keep: min}]", "objectives.metric", 11)]
    public void ABadTpeSearch_IsRefused_AtItsLine(string search, string extra, string key, int line)
    {
        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid(search, extra)));

        Assert.Contains(error.Errors, e => e.Key == key && e.Line == line);
    }
}

/// <summary>early_stopping in grid.yaml: read into the sweep, every key checked at its line.</summary>
public sealed class EarlyStoppingGridTests : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-asha-");

    public void Dispose() => folder.Dispose();

    private string Grid(string earlyStopping) => folder.Write($"{Guid.NewGuid():N}.yaml", $"""
        name: s
        tasks: [spam-assassin]
        keep: [0.5]
        early_stopping: {earlyStopping}
        """);

    [Fact]
    public void AshaSettings_ReachTheSweep_WithTheirDefaults()
    {
        var sweep = GridFile.Load(Grid("{method: asha, metric: f1, grace: 20, max: 200, stop_collapsed: true}"));

        Assert.Equal(new Sweeps.Grains.Interfaces.Sweeps.EarlyStoppingSpec("f1", Maximize: true, Grace: 20, ReductionFactor: 3, Max: 200, StopCollapsed: true),
            sweep.EarlyStopping);
        Assert.Null(GridFile.Load(folder.Write("plain.yaml", "name: p\ntasks: [spam-assassin]\nkeep: [0.5]\n")).EarlyStopping);
    }

    [Theory]
    [InlineData("{grace: 10}", "early_stopping.method")]
    [InlineData("{method: hyperband, grace: 10}", "early_stopping.method")]
    [InlineData("{method: asha}", "early_stopping.grace")]
    [InlineData("{method: asha, grace: 10, max: 10}", "early_stopping.max")]
    [InlineData("{method: asha, grace: 10, reduction_factor: 1}", "early_stopping.reduction_factor")]
    [InlineData("{method: asha, grace: 10, mode: up}", "early_stopping.mode")]
    [InlineData("{method: asha, grace: 10, stop_collapsed: maybe}", "early_stopping.stop_collapsed")]
    [InlineData("{method: asha, grace: -1}", "early_stopping.grace")]
    [InlineData("{method: asha, grace: 10, metric: pearson}", "early_stopping.metric")]
    public void ABadEarlyStopping_IsRefused_AtItsLine(string earlyStopping, string key)
    {
        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid(earlyStopping)));

        Assert.Contains(error.Errors, e => e.Key == key && e.Line == 4);
    }

    [Fact]
    public void AMetricTheTaskDoesNotReport_IsRefused_NamingThoseItDoes()
    {
        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid("{method: asha, grace: 10, metric: acc}")));

        Assert.Contains(error.Errors, e => e.Key == "early_stopping.metric" && e.Message.Contains("task spam-assassin reports; it reports accuracy, f1"));
    }
}
