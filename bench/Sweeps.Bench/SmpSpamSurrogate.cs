using System.Globalization;
using System.Text.Json;
using Sweeps.Search;

namespace Sweeps.Bench;

/// <summary>
/// A surrogate of a real SMP search, for comparing samplers where trials cost minutes: the search of
/// examples/search-spam.yaml (SMP-S at keep 50%, MiniLM on SpamAssassin; score_lr log-uniform on [1e-3, 1e-1],
/// final_lambda uniform on [10, 800]), its trials' dev accuracies written once to bench/smp-spam-surrogate.json. The
/// surrogate is their Nadaraya–Watson (Gaussian kernel) regression on the unit square (score_lr in log space), so it
/// is smooth, passes near every trial, and is as easy to define in bench/optuna-peer.py as here; the loss is its
/// negative accuracy, and its minimum is taken on a 401 × 401 grid.
/// </summary>
public static class SmpSpamSurrogate
{
    public const string File = "smp-spam-surrogate.json";

    public static TestFunction Load()
    {
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(SamplerComparison.BenchFolder(), File)));
        var root = json.RootElement;
        var bandwidth = root.GetProperty("bandwidth").GetDouble();
        var trials = root.GetProperty("trials").EnumerateArray()
            .Select(t => (U: Unit(t.GetProperty("score_lr").GetDouble(), t.GetProperty("final_lambda").GetDouble()), Accuracy: t.GetProperty("accuracy").GetDouble()))
            .ToList();
        double Accuracy(double u1, double u2)
        {
            var (weighted, weights) = (0.0, 0.0);
            foreach (var (u, accuracy) in trials)
            {
                var w = Math.Exp(-((u1 - u.Item1) * (u1 - u.Item1) + (u2 - u.Item2) * (u2 - u.Item2)) / (2 * bandwidth * bandwidth));
                (weighted, weights) = (weighted + w * accuracy, weights + w);
            }
            return weighted / weights;
        }
        var best = Enumerable.Range(0, 401).SelectMany(i => Enumerable.Range(0, 401).Select(j => Accuracy(i / 400.0, j / 400.0))).Max();
        var space = new SearchSpace([
            new("score_lr", new Distribution(DistributionKind.LogUniform, 1e-3, 1e-1, [])),
            new("final_lambda", new Distribution(DistributionKind.Uniform, 10, 800, [])),
        ]);
        return new TestFunction("smp-spam", space, p => -Accuracy(Unit(p["score_lr"], p["final_lambda"]).Item1, Unit(p["score_lr"], p["final_lambda"]).Item2),
            Minimum: -best, Margin: 0.01);
    }

    private static (double, double) Unit(double scoreLr, double finalLambda) =>
        ((Math.Log(scoreLr) - Math.Log(1e-3)) / (Math.Log(1e-1) - Math.Log(1e-3)), (finalLambda - 10) / 790);
}
