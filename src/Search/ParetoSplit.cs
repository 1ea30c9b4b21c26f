namespace Sweeps.Search;

/// <summary>
/// How multi-objective TPE (Optuna 3.1's TPESampler with several objectives, after Ozaki et al., GECCO 2020) splits
/// finished trials into good and bad and weighs the good ones, every objective minimised: the good are the first
/// non-domination ranks while they fit in γ(n); of the rank that does not fit whole, the points a greedy hypervolume
/// subset selection takes first fill the rest. Each good point weighs its share of the good points' hypervolume (what
/// the hypervolume loses without it, over the largest such loss), against a reference point a tenth beyond the worst.
/// </summary>
public static class ParetoSplit
{
    private const double Epsilon = 1e-12;

    /// <summary>The indices of the good points among <paramref name="losses"/> (all finite), <paramref name="count"/> of them, in no particular order.</summary>
    public static IReadOnlyList<int> Good(IReadOnlyList<double[]> losses, int count)
    {
        var ranks = NonDominationRanks(losses);
        var good = new List<int>();
        for (var rank = 0; good.Count < count; rank++)
        {
            var front = Enumerable.Range(0, losses.Count).Where(i => ranks[i] == rank).ToList();
            if (good.Count + front.Count <= count)
            {
                good.AddRange(front);
                continue;
            }
            var reference = Reference(front.Select(i => losses[i]).ToList());
            var chosen = new List<double[]>();
            while (good.Count < count)
            {
                var before = Hypervolume(chosen, reference);
                var best = front.Where(i => !good.Contains(i)).MaxBy(i => Hypervolume([.. chosen, losses[i]], reference) - before);
                good.Add(best);
                chosen.Add(losses[best]);
            }
        }
        return good;
    }

    /// <summary>Each good point's weight: its hypervolume contribution over the largest, at least a small epsilon.</summary>
    public static IReadOnlyList<double> Weights(IReadOnlyList<double[]> good)
    {
        if (good.Count <= 1) return good.Select(_ => 1.0).ToList();
        var reference = Reference(good);
        var whole = Hypervolume(good, reference);
        var contributions = good.Select((_, i) => whole - Hypervolume(good.Where((_, j) => j != i).ToList(), reference)).ToList();
        var largest = contributions.Max();
        return contributions.Select(c => largest > 0 ? Math.Clamp(c / largest, Epsilon, 1) : 1.0).ToList();
    }

    /// <summary>Each point's non-domination rank: 0 for the points no other dominates, 1 for those only rank 0 dominates, …</summary>
    public static int[] NonDominationRanks(IReadOnlyList<double[]> losses)
    {
        var ranks = Enumerable.Repeat(-1, losses.Count).ToArray();
        for (var rank = 0; ranks.Contains(-1); rank++)
        {
            var open = Enumerable.Range(0, losses.Count).Where(i => ranks[i] == -1).ToList();
            foreach (var i in open.Where(i => !open.Any(j => j != i && Dominates(losses[j], losses[i]))).ToList()) ranks[i] = rank;
        }
        return ranks;
    }

    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> in every objective and better in one.</summary>
    public static bool Dominates(double[] a, double[] b) => a.Zip(b).All(p => p.First <= p.Second) && a.Zip(b).Any(p => p.First < p.Second);

    /// <summary>The volume the points dominate below <paramref name="reference"/>, by slicing along the last objective.</summary>
    public static double Hypervolume(IReadOnlyList<double[]> points, double[] reference)
    {
        var inside = points.Where(p => p.Zip(reference).All(x => x.First < x.Second)).ToList();
        if (inside.Count == 0) return 0;
        var d = reference.Length;
        if (d == 1) return reference[0] - inside.Min(p => p[0]);
        var sorted = inside.OrderBy(p => p[d - 1]).ToList();
        var volume = 0.0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var height = (i + 1 < sorted.Count ? sorted[i + 1][d - 1] : reference[d - 1]) - sorted[i][d - 1];
            if (height > 0) volume += height * Hypervolume(sorted.Take(i + 1).Select(p => p[..^1]).ToList(), reference[..^1]);
        }
        return volume;
    }

    // Optuna's: a tenth beyond the worst of each objective (either side of zero), never zero itself.
    private static double[] Reference(IReadOnlyList<double[]> points) =>
        Enumerable.Range(0, points[0].Length).Select(k =>
        {
            var worst = points.Max(p => p[k]);
            var reference = Math.Max(1.1 * worst, 0.9 * worst);
            return reference == 0 ? Epsilon : reference;
        }).ToArray();
}
