namespace Sweeps.Search.Tests;

/// <summary>
/// Multi-objective TPE's parts: dominance, non-domination ranks, hypervolumes of fronts whose volume is known, the
/// good points of a split, their weights, and the proposals of TPE with two objectives gathering at the Pareto front.
/// </summary>
public sealed class ParetoSplitTests
{
    [Fact]
    public void Dominance_IsNoWorseInEveryObjectiveAndBetterInOne()
    {
        Assert.True(ParetoSplit.Dominates([1, 2], [1, 3]));
        Assert.False(ParetoSplit.Dominates([1, 2], [1, 2]));
        Assert.False(ParetoSplit.Dominates([1, 3], [2, 2]));
        Assert.Equal([0, 0, 1, 2, 0], ParetoSplit.NonDominationRanks([[1, 3], [2, 2], [2, 3], [3, 4], [3, 1]]));
    }

    [Fact]
    public void Hypervolume_OfKnownFronts()
    {
        // Three rectangles up to (4, 4): 3 + 4 + 3 less their overlaps = 6.
        Assert.Equal(6, ParetoSplit.Hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 12);
        Assert.Equal(6, ParetoSplit.Hypervolume([[1, 3], [2, 2], [3, 1], [3, 3]], [4, 4]), 12); // a dominated point adds nothing
        Assert.Equal(0, ParetoSplit.Hypervolume([[5, 1]], [4, 4]));
        Assert.Equal(1, ParetoSplit.Hypervolume([[0, 0, 0]], [1, 1, 1]), 12);
        Assert.Equal(1 - 0.5 * 0.5 * 0.5, ParetoSplit.Hypervolume([[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]], [1, 1, 1]), 12);
    }

    [Fact]
    public void Good_TakesWholeRanksFirst_ThenThePointsThatAddTheMostHypervolume()
    {
        double[][] losses = [[0, 10], [10, 0], [5, 5], [1, 9.5], [9.5, 1], [20, 20]];

        Assert.Equal([0, 1, 2, 3, 4], ParetoSplit.Good(losses, 5).Order()); // rank 0 is the five
        var two = ParetoSplit.Good(losses, 2);
        Assert.Equal(2, two.Count);
        Assert.Contains(2, two); // the middle of the front covers the most on its own
    }

    [Fact]
    public void Weights_FollowEachPointsShareOfTheHypervolume()
    {
        var weights = ParetoSplit.Weights([[0, 10], [5, 5], [10, 0], [5.1, 5.1]]);

        Assert.Equal(1, weights.Max(), 12);
        Assert.True(weights[1] > weights[3], string.Join(", ", weights)); // a point another nearly dominates adds little
        Assert.True(weights.All(w => w > 0));
        Assert.Equal([1.0], ParetoSplit.Weights([[1, 1]]));
    }

    // Two objectives of x1, x2 on [0, 1] (ZDT1 in two dimensions): the Pareto front is x2 = 0.
    private static readonly SearchSpace Square = new([
        new("x1", new Distribution(DistributionKind.Uniform, 0, 1, [])), new("x2", new Distribution(DistributionKind.Uniform, 0, 1, [])),
    ]);

    private static double[] Zdt1(IReadOnlyDictionary<string, double> p)
    {
        var g = 1 + 9 * p["x2"];
        return [p["x1"], g * (1 - Math.Sqrt(p["x1"] / g))];
    }

    private static List<SearchTrial> Run(ISearchSampler sampler, int count)
    {
        var trials = new List<SearchTrial>();
        for (var i = 0; i < count; i++)
        {
            var point = sampler.Next(trials);
            trials.Add(SearchTrial.Finished(point, Zdt1(point)));
        }
        return trials;
    }

    [Fact]
    public void TwoObjectiveTpe_GathersAtTheParetoFront_FarMoreThanRandom_AndSpreadsAlongIt()
    {
        // Over seeds 1–4, the last 40 of 80 trials: their distance from the front (x2), and their hypervolume.
        var (tpeDistance, randomDistance, tpeVolume, randomVolume) = (0.0, 0.0, 0.0, 0.0);
        for (var seed = 1; seed <= 4; seed++)
        {
            var tpe = Run(new TpeSampler(Square, seed), 80);
            var random = Run(new RandomSampler(Square, seed), 80);
            tpeDistance += tpe.Skip(40).Average(t => t.Settings["x2"]);
            randomDistance += random.Skip(40).Average(t => t.Settings["x2"]);
            tpeVolume += ParetoSplit.Hypervolume(tpe.Select(t => t.Losses!.ToArray()).ToList(), [1.1, 11]);
            randomVolume += ParetoSplit.Hypervolume(random.Select(t => t.Losses!.ToArray()).ToList(), [1.1, 11]);
            Assert.True(tpe.Skip(40).Select(t => Math.Round(t.Settings["x1"], 1)).Distinct().Count() >= 4, "TPE's late trials cover the front, not one point of it");
        }
        Assert.True(tpeDistance < 0.5 * randomDistance, $"mean x2 of the late trials: TPE {tpeDistance / 4:F3}, random {randomDistance / 4:F3}");
        Assert.True(tpeVolume > randomVolume, $"hypervolume: TPE {tpeVolume / 4:F3}, random {randomVolume / 4:F3}");
    }
}
