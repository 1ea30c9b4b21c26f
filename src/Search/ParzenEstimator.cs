namespace Sweeps.Search;

/// <summary>
/// A density over a search space's unit coordinates, made of one kernel per observed point plus a prior kernel, as
/// Optuna's TPE builds it (optuna/samplers/_tpe/parzen_estimator.py, 3.1, multivariate): for a numerical setting a
/// Gaussian cut to [0, 1] at the point, of width 0.2 · n^(−1/(d+4)) (n points, d settings), clipped to
/// [1/min(100, n + 2), 1]; for a choice, the point's choice with weight 1 plus prior/(n + 1) on every choice,
/// renormalised; the prior kernel a Gaussian at ½ of width 1 and a uniform choice. Kernels are weighted by their
/// point's weight and the prior by <see cref="TpeOptions.PriorWeight"/>.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly SearchSpace space;
    private readonly double[] weights;       // per kernel, summing to 1 (the last is the prior)
    private readonly double[][] mus;         // [kernel][setting], numerical settings only
    private readonly double[][] sigmas;
    private readonly double[][] logNormalisers; // each numerical kernel's log mass on [0, 1], computed once
    private readonly double[][][] choices;   // [kernel][setting] → probability of each choice, for choices only

    /// <param name="points">The observed points' unit coordinates (a choice as its index).</param>
    /// <param name="pointWeights">Each point's weight, before normalisation.</param>
    public ParzenEstimator(SearchSpace space, IReadOnlyList<double[]> points, IReadOnlyList<double> pointWeights, double priorWeight)
    {
        this.space = space;
        var n = points.Count;
        var kernels = n + 1;
        var total = pointWeights.Sum() + priorWeight;
        weights = [.. pointWeights.Select(w => w / total), priorWeight / total];
        var sigma0 = 0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (space.Count + 4));
        var sigma = Math.Clamp(sigma0, 1.0 / Math.Min(100.0, 1.0 + kernels), 1.0);
        mus = new double[kernels][];
        sigmas = new double[kernels][];
        logNormalisers = new double[kernels][];
        choices = new double[kernels][][];
        for (var k = 0; k < kernels; k++)
        {
            (mus[k], sigmas[k], logNormalisers[k], choices[k]) = (new double[space.Count], new double[space.Count], new double[space.Count], new double[space.Count][]);
            for (var d = 0; d < space.Count; d++)
            {
                if (space[d].Kind == DistributionKind.Choice)
                {
                    var count = space[d].Choices.Count;
                    var row = k < n ? Enumerable.Repeat(priorWeight / (n + 1), count).ToArray() : Enumerable.Repeat(1.0 / count, count).ToArray();
                    if (k < n) row[(int)points[k][d]] += 1;
                    var sum = row.Sum();
                    choices[k][d] = row.Select(p => p / sum).ToArray();
                }
                else
                {
                    (mus[k][d], sigmas[k][d]) = k < n ? (points[k][d], sigma) : (0.5, 1.0);
                    logNormalisers[k][d] = TruncatedNormal.LogNormaliser(mus[k][d], sigmas[k][d]);
                }
            }
        }
    }

    /// <summary>A point drawn from the density: a kernel by its weight, then each setting from that kernel.</summary>
    public double[] Sample(Random random)
    {
        var kernel = Pick(random, weights);
        var point = new double[space.Count];
        for (var d = 0; d < space.Count; d++)
        {
            var distribution = space[d];
            point[d] = distribution.Kind switch
            {
                DistributionKind.Choice => Pick(random, choices[kernel][d]),
                // An integer is the centre of its share of [0, 1], as its value is.
                DistributionKind.IntUniform => Bin(TruncatedNormal.Sample(random, mus[kernel][d], sigmas[kernel][d]), Bins(distribution)),
                _ => TruncatedNormal.Sample(random, mus[kernel][d], sigmas[kernel][d]),
            };
        }
        return point;
    }

    /// <summary>log of the density at <paramref name="point"/> (an integer as the probability of its share).</summary>
    public double LogPdf(double[] point)
    {
        var terms = new double[weights.Length];
        for (var k = 0; k < weights.Length; k++)
        {
            var log = Math.Log(weights[k]);
            for (var d = 0; d < space.Count; d++)
            {
                var distribution = space[d];
                log += distribution.Kind switch
                {
                    DistributionKind.Choice => Math.Log(choices[k][d][(int)point[d]]),
                    DistributionKind.IntUniform => TruncatedNormal.LogProbability(
                        Math.Max(0, point[d] - 0.5 / Bins(distribution)), Math.Min(1, point[d] + 0.5 / Bins(distribution)), mus[k][d], sigmas[k][d], logNormalisers[k][d]),
                    _ => TruncatedNormal.LogPdf(point[d], mus[k][d], sigmas[k][d], logNormalisers[k][d]),
                };
            }
            terms[k] = log;
        }
        var max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    private static int Bins(Distribution integer) => (int)(integer.High - integer.Low + 1);

    private static double Bin(double u, int bins) => (Math.Min(bins - 1, Math.Floor(u * bins)) + 0.5) / bins;

    private static int Pick(Random random, IReadOnlyList<double> probabilities)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Count - 1; i++)
            if (u < (cumulative += probabilities[i])) return i;
        return probabilities.Count - 1;
    }
}
