using System.Globalization;
using System.Text.Json;
using Sweeps.Search;
using Sweeps.Testing;

namespace Sweeps.Bench;

/// <summary>
/// Our two-objective TPE against Optuna's, side by side: ZDT1 with five variables (Zitzler, Deb and Thiele, 2000; both
/// objectives minimised, the Pareto front at x2 … x5 = 0), random and TPE (multivariate; Optuna's TPESampler with two
/// directions is its multi-objective TPE), SEEDS seeds of TRIALS trials, one after another. Reports the hypervolume of
/// the trials so far against the reference point (1.1, 11) as median and interquartile range over the seeds after 25,
/// 50 and TRIALS trials, as its gap to the true front's (11.767).
/// Optuna's points are evaluated again here, and a run where the two definitions disagree is refused.
/// </summary>
public static class ParetoSamplerComparison
{
    private static readonly double[] Reference = [1.1, 11];

    private static readonly SearchSpace Space = new(Enumerable.Range(1, 5).Select(i => new KeyValuePair<string, Distribution>($"x{i}", new Distribution(DistributionKind.Uniform, 0, 1, []))));

    public static double[] Zdt1(IReadOnlyDictionary<string, double> p)
    {
        var g = 1 + 9 * (p["x2"] + p["x3"] + p["x4"] + p["x5"]) / 4;
        return [p["x1"], g * (1 - Math.Sqrt(p["x1"] / g))];
    }

    public static void Run(int seeds, int trials)
    {
        // The true front f2 = 1 − √f1 on [0, 1] dominates, up to (1.1, 11), ∫₀¹ (11 − (1 − √a)) da + 0.1 × 11 = 10 + 2/3 + 1.1:
        // the most any trials could reach.
        var best = 10 + 2.0 / 3 + 1.1;
        var checkpoints = new[] { 25, 50, trials }.Where(c => c <= trials).Distinct().ToArray();
        Console.WriteLine();
        Console.WriteLine($"zdt1 (two objectives, five variables; reference point (1.1, 11); the true front's hypervolume {best:F4}); gap = that less the trials' hypervolume");
        Console.WriteLine($"| sampler | {string.Join(" | ", checkpoints.Select(c => $"gap after {c}"))} |");
        Console.WriteLine($"| --- |{string.Concat(checkpoints.Select(_ => " --- |"))}");
        var runs = new List<(string, double[][])>
        {
            ("ours, random", Ours(seed => new RandomSampler(Space, seed), seeds, trials, best)),
            ("ours, TPE", Ours(seed => new TpeSampler(Space, seed), seeds, trials, best)),
        };
        if (OptunaPeer.Version() is not null)
        {
            runs.Add(("Optuna, random", Peer("random", seeds, trials, best)));
            runs.Add(("Optuna, TPE", Peer("tpe", seeds, trials, best)));
            runs.Add(("Optuna, TPE, density fixed", Peer("tpe-fixed", seeds, trials, best)));
        }
        foreach (var (sampler, gaps) in runs)
            Console.WriteLine($"| {sampler} | {string.Join(" | ", checkpoints.Select(c => SamplerComparison.Quartiles(gaps.Select(g => g[c - 1]).ToList())).Select(q => string.Create(CultureInfo.InvariantCulture, $"{q.Median:F3} [{q.Low:F3}–{q.High:F3}]")))} |");
    }

    private static double[][] Ours(Func<int, ISearchSampler> sampler, int seeds, int trials, double best) =>
        Enumerable.Range(0, seeds).Select(seed =>
        {
            var (chosen, seen) = (sampler(seed), new List<SearchTrial>());
            for (var i = 0; i < trials; i++)
            {
                var point = chosen.Next(seen);
                seen.Add(SearchTrial.Finished(point, Zdt1(point)));
            }
            return Gaps(seen.Select(t => t.Losses!.ToArray()).ToList(), best);
        }).ToArray();

    private static double[][] Peer(string sampler, int seeds, int trials, double best)
    {
        var output = OptunaPeer.Run(Path.Combine(SamplerComparison.BenchFolder(), "optuna-peer.py"), "zdt1", sampler, seeds.ToString(CultureInfo.InvariantCulture), trials.ToString(CultureInfo.InvariantCulture));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var run = JsonDocument.Parse(line);
            var values = run.RootElement.GetProperty("values").EnumerateArray().Select(v => v.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToList();
            var points = run.RootElement.GetProperty("params").EnumerateArray().Select(p => p.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetDouble())).ToList();
            for (var i = 0; i < values.Count; i++)
                if (Zdt1(points[i]).Zip(values[i]).Any(v => Math.Abs(v.First - v.Second) > 1e-9 * Math.Max(1, Math.Abs(v.Second))))
                    throw new InvalidOperationException($"zdt1: Optuna's values at trial {i} are not ours");
            return Gaps(values, best);
        }).ToArray();
    }

    /// <summary>The gap to the true front's hypervolume after each trial.</summary>
    private static double[] Gaps(List<double[]> values, double best) =>
        Enumerable.Range(1, values.Count).Select(n => best - ParetoSplit.Hypervolume(NonDominated(values.Take(n)), Reference)).ToArray();

    private static List<double[]> NonDominated(IEnumerable<double[]> points)
    {
        var list = points.ToList();
        return list.Where(p => !list.Any(q => ParetoSplit.Dominates(q, p))).ToList();
    }
}
