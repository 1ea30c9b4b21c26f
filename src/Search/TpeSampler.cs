namespace Sweeps.Search;

/// <summary>
/// The tree-structured Parzen estimator (Bergstra et al., NeurIPS 2011), multivariate, as Optuna defines it (TPESampler,
/// 3.1, multivariate=True): the finished trials are split into the γ(n) = min(⌈n/10⌉, 25) best ("below") and the rest
/// ("above"), running trials joining the rest as the worst when <see cref="TpeOptions.ConstantLiar"/> is set; each
/// group becomes a <see cref="ParzenEstimator"/> l(x) or g(x), its points weighted by Optuna's default weights (1 each,
/// the oldest ramped down past 25); <see cref="TpeOptions.Candidates"/> points are drawn from l and the one with the
/// largest l(x)/g(x) is proposed. Until <see cref="TpeOptions.StartupTrials"/> trials have finished, points are drawn
/// at random. With several objectives (<see cref="SearchTrial.Losses"/>) the split and the good trials' weights are
/// multi-objective TPE's (<see cref="ParetoSplit"/>).
/// </summary>
public sealed class TpeSampler(SearchSpace space, int seed, TpeOptions? options = null) : ISearchSampler
{
    private readonly TpeOptions options = (options ?? new TpeOptions()).Validated();

    public IReadOnlyDictionary<string, double> Next(IReadOnlyList<SearchTrial> trials)
    {
        var considered = trials.Where(t => t.IsFinished || options.ConstantLiar).ToList();
        var finished = considered.Count(t => t.IsFinished);
        if (finished < options.StartupTrials) return new RandomSampler(space, seed).Next(trials);
        var random = SamplerRandom.For(seed, trials.Count);

        var belowCount = Gamma(finished);
        List<int> belowIndices;
        IReadOnlyList<double>? belowWeights = null;
        if (considered.Any(t => t.Losses is not null))
        {
            // Several objectives: the good are Pareto ranks (ParetoSplit), among the trials whose every loss is finite;
            // a failed or running trial is with the bad.
            var scored = Enumerable.Range(0, considered.Count).Where(i => considered[i].Losses is { } l && l.All(double.IsFinite)).ToList();
            var chosen = ParetoSplit.Good(scored.Select(i => considered[i].Losses!.ToArray()).ToList(), Math.Min(belowCount, scored.Count));
            belowIndices = chosen.Select(g => scored[g]).Order().ToList();
            belowWeights = ParetoSplit.Weights(belowIndices.Select(i => considered[i].Losses!.ToArray()).ToList());
        }
        else
        {
            // Ranked by loss (a running trial last), ties by age; each group then kept in the order its trials were proposed.
            var ranked = Enumerable.Range(0, considered.Count).OrderBy(i => considered[i].Loss ?? double.PositiveInfinity).ThenBy(i => i).ToList();
            belowIndices = ranked.Take(belowCount).Order().ToList();
        }
        var below = belowIndices.Select(i => Point(considered[i])).ToList();
        var above = Enumerable.Range(0, considered.Count).Except(belowIndices).Select(i => Point(considered[i])).ToList();
        var good = new ParzenEstimator(space, below, belowWeights ?? Weights(below.Count), options.PriorWeight);
        var bad = new ParzenEstimator(space, above, Weights(above.Count), options.PriorWeight);

        double[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < options.Candidates; c++)
        {
            var candidate = good.Sample(random);
            var score = good.LogPdf(candidate) - bad.LogPdf(candidate);
            if (best is null || score > bestScore) (best, bestScore) = (candidate, score);
        }
        return space.ValuesAt(Coordinates(best!));
    }

    /// <summary>How many of n finished trials are the good ones (Optuna's default_gamma).</summary>
    public static int Gamma(int finished) => Math.Min((int)Math.Ceiling(0.1 * finished), 25);

    /// <summary>
    /// The weights of a group's points, oldest first (Optuna's default_weights): 1 each up to 25 points; past that the
    /// newest 25 weigh 1 and the older ones ramp linearly from 1/n up to 1.
    /// </summary>
    public static IReadOnlyList<double> Weights(int count)
    {
        if (count < 25) return Enumerable.Repeat(1.0, count).ToList();
        var ramp = count - 25;
        return Enumerable.Range(0, ramp).Select(i => ramp == 1 ? 1.0 / count : 1.0 / count + i * (1.0 - 1.0 / count) / (ramp - 1))
            .Concat(Enumerable.Repeat(1.0, 25)).ToList();
    }

    // A trial's point as the estimators read it: unit coordinates, a choice as its index.
    private double[] Point(SearchTrial trial) =>
        Enumerable.Range(0, space.Count).Select(d =>
        {
            var value = trial.Settings[space.Settings[d].Key];
            return space[d].Kind == DistributionKind.Choice ? space.ChoiceIndex(d, value) : space.Coordinate(d, value);
        }).ToArray();

    private double[] Coordinates(double[] point) =>
        Enumerable.Range(0, space.Count).Select(d => space[d].Kind == DistributionKind.Choice ? (point[d] + 0.5) / space[d].Choices.Count : point[d]).ToArray();
}
