namespace Sweeps.Search.Tests;

/// <summary>
/// The TPE sampler's proposals as properties that hold on any CPU: the same seed and trials give the same point, the
/// start is random, and once results come the proposals gather where the losses are low, by a margin no rounding
/// difference can undo.
/// </summary>
public sealed class TpeSamplerTests
{
    private static readonly SearchSpace Line = new([new("x", new Distribution(DistributionKind.Uniform, 0, 1, []))]);

    private static readonly SearchSpace Mixed = new([
        new("lr", new Distribution(DistributionKind.LogUniform, 1e-4, 1e-1, [])),
        new("epochs", new Distribution(DistributionKind.IntUniform, 1, 8, [])),
        new("temperature", new Distribution(DistributionKind.Choice, 0, 0, [1, 2, 4, 8])),
    ]);

    /// <summary>Runs <paramref name="count"/> trials one after another, each told its loss before the next is proposed.</summary>
    private static List<SearchTrial> Run(ISearchSampler sampler, int count, Func<IReadOnlyDictionary<string, double>, double> loss)
    {
        var trials = new List<SearchTrial>();
        for (var i = 0; i < count; i++)
        {
            var point = sampler.Next(trials);
            trials.Add(new SearchTrial(point, loss(point)));
        }
        return trials;
    }

    // Lowest at lr 1e-2, 6 epochs, temperature 2.
    private static double MixedLoss(IReadOnlyDictionary<string, double> p) =>
        Math.Pow(Math.Log10(p["lr"]) + 2, 2) + Math.Pow((p["epochs"] - 6) / 4, 2) + (p["temperature"] == 2 ? 0 : 1);

    [Fact]
    public void Next_SameSeedAndTrials_SamePoint_AnotherSeed_AnotherPoint()
    {
        var trials = Run(new TpeSampler(Mixed, seed: 5), 30, MixedLoss);

        Assert.Equal(new TpeSampler(Mixed, seed: 5).Next(trials), new TpeSampler(Mixed, seed: 5).Next(trials));
        Assert.NotEqual(new TpeSampler(Mixed, seed: 5).Next(trials), new TpeSampler(Mixed, seed: 6).Next(trials));
        // A sampler rebuilt from the stored trials proposes what the first one did: it keeps nothing between calls.
        Assert.Equal(trials.Select(t => t.Settings), Run(new TpeSampler(Mixed, seed: 5), 30, MixedLoss).Select(t => t.Settings));
    }

    [Fact]
    public void Next_BeforeStartupTrialsFinish_IsTheRandomSamplersPoint()
    {
        var tpe = new TpeSampler(Mixed, seed: 3, new TpeOptions(StartupTrials: 10));
        var random = new RandomSampler(Mixed, seed: 3);
        var trials = Run(tpe, 9, MixedLoss);

        // Nine finished and one running: still fewer than ten finished.
        trials.Add(new SearchTrial(tpe.Next(trials), null));
        for (var n = 0; n <= trials.Count; n++) Assert.Equal(random.Next(trials[..n]), tpe.Next(trials[..n]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    public void RandomPoints_OneAfterAnother_DoNotMarchInStep(int seed)
    {
        // When each point had a System.Random seeded from (seed, trials so far), consecutive points' first setting rose
        // by the same step each time (evenly spaced startup points); drawn from one generator, the steps vary as random draws' do.
        var xs = Run(new RandomSampler(Line, seed), 200, _ => 0).Select(t => t.Settings["x"]).ToList();

        var steps = xs.Zip(xs.Skip(1), (a, b) => Math.Round(((b - a) % 1 + 1) % 1, 2)).Distinct().Count();

        Assert.True(steps > 50, $"{steps} distinct steps between 200 consecutive random points");
        Assert.InRange(xs.Average(), 0.4, 0.6);
    }

    [Fact]
    public void Next_EveryValue_IsOneItsDistributionCanGive()
    {
        foreach (var trial in Run(new TpeSampler(Mixed, seed: 1), 60, MixedLoss))
        {
            Assert.InRange(trial.Settings["lr"], 1e-4, 1e-1);
            Assert.Equal(Math.Round(trial.Settings["epochs"]), trial.Settings["epochs"]);
            Assert.InRange(trial.Settings["epochs"], 1, 8);
            Assert.Contains(trial.Settings["temperature"], new[] { 1.0, 2, 4, 8 });
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Next_AfterStartup_GathersNearTheLowestLoss_FarMoreThanRandom(int seed)
    {
        static double Loss(IReadOnlyDictionary<string, double> p) => Math.Abs(p["x"] - 0.3);

        var tpe = Run(new TpeSampler(Line, seed), 80, Loss).Skip(40).Count(t => Loss(t.Settings) < 0.1);
        var random = Run(new RandomSampler(Line, seed), 80, Loss).Skip(40).Count(t => Loss(t.Settings) < 0.1);

        // Random lands within 0.1 of the optimum a fifth of the time (8 of 40 expected); the model, most of the time
        // (27–29 of 40 for seeds 1–8 here; Optuna 3.1's multivariate TPE, 21–26 on the same problem).
        Assert.True(tpe >= 22, $"{tpe} of the last 40 TPE proposals within 0.1 of the optimum (random: {random})");
        Assert.True(random <= 16, $"random had {random} of 40 within 0.1");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Next_MixedSpace_FindsTheBestChoiceAndTheBestRegion(int seed)
    {
        var last = Run(new TpeSampler(Mixed, seed), 100, MixedLoss).Skip(50).ToList();

        // Random: temperature 2 in a quarter (12.5 of 50), lr within half a decade in a third (17 of 50). Seeds 1–8 gave
        // 33–38 and 37–40 here; Optuna 3.1's multivariate TPE, 29–33 and 31–37.
        Assert.True(last.Count(t => t.Settings["temperature"] == 2) >= 28, $"temperature 2 in {last.Count(t => t.Settings["temperature"] == 2)} of 50");
        Assert.True(last.Count(t => Math.Abs(Math.Log10(t.Settings["lr"]) + 2) < 0.5) >= 28, "lr within half a decade of 1e-2 in fewer than 28 of 50");
    }

    [Fact]
    public void Next_WithTrialsRunning_ConstantLiarMovesAwayFromThem()
    {
        // Forty finished trials spread at random say: the best is near 0.3. Ten trials now run at 0.3; as the worst,
        // they pull g(x) there. Four such histories, twenty proposals each.
        var histories = Enumerable.Range(1, 4).Select(seed => Run(new RandomSampler(Line, seed), 40, p => Math.Abs(p["x"] - 0.3))
            .Concat(Enumerable.Repeat(new SearchTrial(new Dictionary<string, double> { ["x"] = 0.3 }, null), 10)).ToList()).ToList();

        double Near(TpeOptions options) => histories.SelectMany(running => Enumerable.Range(0, 20)
            .Select(seed => new TpeSampler(Line, seed, options).Next(running)["x"])).Count(x => Math.Abs(x - 0.3) < 0.1) / 80.0;
        var (liar, ignoring) = (Near(new TpeOptions()), Near(new TpeOptions(ConstantLiar: false)));

        // Measured here: 3.7% of the proposals within 0.1 of the running trials with the constant liar, 100% without.
        Assert.True(ignoring >= 0.8 && liar <= 0.3, $"proposals within 0.1 of the running trials: {liar:P0} with the constant liar, {ignoring:P0} without");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(100, 10)]
    [InlineData(1000, 25)]
    public void Gamma_IsOptunasDefault(int finished, int good) => Assert.Equal(good, TpeSampler.Gamma(finished));

    [Fact]
    public void Weights_AreOptunasDefault_FlatTo25_ThenTheOldestRampUp()
    {
        Assert.Equal(Enumerable.Repeat(1.0, 24), TpeSampler.Weights(24));
        Assert.Equal([1.0 / 26, .. Enumerable.Repeat(1.0, 25)], TpeSampler.Weights(26));
        var weights = TpeSampler.Weights(35); // numpy.linspace(1/35, 1, 10) then 25 ones
        Assert.Equal(1.0 / 35, weights[0], 12);
        Assert.Equal(1.0, weights[9], 12);
        Assert.Equal(1.0 / 35 + 4 * (1 - 1.0 / 35) / 9, weights[4], 12);
    }
}
