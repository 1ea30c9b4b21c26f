using System.Globalization;
using System.Text.Json;
using Sweeps.Reports;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Results;

/// <summary>fANOVA importance against Optuna's own evaluator (same method) on the same trials, and on known objectives.</summary>
public sealed class SettingImportanceTests
{
    // 80 random trials of three settings on [0, 1]: x1 moves the objective most (variance 4/3), x2 less (1/2), x3 not at all; Optuna's
    // fANOVA importances of them, and the trials themselves for ours.
    private const string Study = """
        import json, math, warnings
        import optuna
        from optuna.importance import FanovaImportanceEvaluator, get_param_importances
        warnings.simplefilter("ignore")
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=7))
        study.optimize(lambda t: 4 * t.suggest_float("x1", 0, 1) + math.sin(2 * math.pi * t.suggest_float("x2", 0, 1)) + 0 * t.suggest_float("x3", 0, 1), n_trials=80)
        importances = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=0))
        print(json.dumps({"importances": importances, "trials": [{"params": t.params, "value": t.value} for t in study.trials]}))
        """;

    [Fact]
    public void OnOptunasTrials_OurRankingOfTheSettingsThatMatter_IsOptunas()
    {
        var answer = JsonDocument.Parse(OptunaPeer.Run("-c", Study)).RootElement;
        string[] settings = ["x1", "x2", "x3"];
        var trials = answer.GetProperty("trials").EnumerateArray().ToList();
        var points = trials.Select(t => settings.Select(s => t.GetProperty("params").GetProperty(s).GetDouble()).ToArray()).ToList();
        var values = trials.Select(t => t.GetProperty("value").GetDouble()).ToList();
        var optuna = answer.GetProperty("importances").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());

        var ours = SettingImportance.Of(settings, points, values);

        // Both rank x1 first and x2 second; x3, which does nothing, has next to no share in either.
        Assert.Equal(["x1", "x2", "x3"], optuna.OrderByDescending(p => p.Value).Select(p => p.Key));
        Assert.Equal(["x1", "x2", "x3"], ours.Select(p => p.Key));
        Assert.InRange(ours.Sum(p => p.Value), 0.999, 1.001);
        Assert.True(ours[2].Value < 0.1 && optuna["x3"] < 0.1 && Math.Abs(ours[0].Value - optuna["x1"]) < 0.1,
            string.Create(CultureInfo.InvariantCulture, $"ours {SettingImportance.Text(ours)}; Optuna's x1 {optuna["x1"]:F3}, x2 {optuna["x2"]:F3}, x3 {optuna["x3"]:F3}"));
    }

    [Fact]
    public void ASettingTheMetricDoesNotDependOn_HasNoShare_AndAConstantMetricNoImportances()
    {
        var random = new Random(3);
        var points = Enumerable.Range(0, 40).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToList();

        var ours = SettingImportance.Of(["used", "unused"], points, points.Select(p => Math.Sin(3 * p[0])).ToList());

        // The forest's bagging may split on the unused setting now and then: a share of noise, far below one percent.
        Assert.Equal("used", ours[0].Key);
        Assert.True(ours[1].Value < 0.01, SettingImportance.Text(ours));
        Assert.Empty(SettingImportance.Of(["used", "unused"], points, points.Select(_ => 0.5).ToList()));
    }
}
