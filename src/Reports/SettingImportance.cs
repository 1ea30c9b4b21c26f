using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// How much each searched setting mattered to the metric, by fANOVA (Hutter, Hoos and Leyton-Brown, ICML 2014), the
/// method of Optuna's FanovaImportanceEvaluator: a random forest (ML.NET's FastForest, 64 trees, leaves down to one
/// configuration) is fitted to the configurations' metric over their settings, each on [0, 1] (log scale where the
/// values span more than a factor of 20); each tree's prediction is decomposed over that box, and a setting's share is
/// the variance of the tree's marginal prediction along it over the tree's total variance. Shares are averaged over
/// the trees and scaled to sum to 1. What is left over is the settings' interactions.
/// </summary>
public static class SettingImportance
{
    public const int Trees = 64;

    /// <summary>Each setting's importance, the most important first; empty with fewer than two configurations or a constant metric.</summary>
    /// <param name="points">Each configuration's settings, each coordinate in [0, 1], in the order of <paramref name="settings"/>.</param>
    public static IReadOnlyList<KeyValuePair<string, double>> Of(IReadOnlyList<string> settings, IReadOnlyList<double[]> points, IReadOnlyList<double> values, int seed = 0)
    {
        if (points.Count < 2 || values.Distinct().Count() < 2) return [];
        var shares = new double[settings.Count];
        var counted = 0;
        foreach (var tree in Forest(settings.Count, points, values, seed))
        {
            var leaves = new List<Leaf>();
            Walk(tree, 0, Enumerable.Repeat(0.0, settings.Count).ToArray(), Enumerable.Repeat(1.0, settings.Count).ToArray(), leaves);
            var mean = leaves.Sum(l => l.Volume * l.Value);
            var total = leaves.Sum(l => l.Volume * (l.Value - mean) * (l.Value - mean));
            if (!(total > 1e-18)) continue; // a tree of one leaf says nothing
            for (var d = 0; d < settings.Count; d++) shares[d] += Marginal(leaves, d, mean) / total;
            counted++;
        }
        if (counted == 0) return [];
        var sum = shares.Sum();
        return settings.Select((s, d) => new KeyValuePair<string, double>(s, sum > 0 ? shares[d] / sum : 0)).OrderByDescending(p => p.Value).ToList();
    }

    /// <summary>The importance of a task's searched settings to its primary metric (each configuration's mean over its seeds).</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Of(ResultsPanel panel)
    {
        var settings = SearchedSettings.OfSearch(panel.Cells);
        var metric = panel.Metrics[0];
        var cells = panel.Cells.Where(c => c.Metric(metric) is not null && settings.All(s => SearchedSettings.Value(c, s) is not null)).ToList();
        if (settings.Count == 0 || cells.Count < 2) return [];
        var scales = settings.Select(s => SearchedSettings.UnitScale(cells.Select(c => SearchedSettings.Value(c, s)!.Value).ToList()).Unit).ToList();
        var points = cells.Select(c => settings.Select((s, d) => scales[d](SearchedSettings.Value(c, s)!.Value)).ToArray()).ToList();
        return Of(settings, points, cells.Select(c => c.Metric(metric)!.Mean).ToList());
    }

    /// <summary>The importances as a line of text: "final_lambda 0.81, score_lr 0.12".</summary>
    public static string Text(IReadOnlyList<KeyValuePair<string, double>> importances) =>
        string.Join(", ", importances.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Key} {i.Value:F2}")));

    private static IReadOnlyList<RegressionTreeBase> Forest(int dimensions, IReadOnlyList<double[]> points, IReadOnlyList<double> values, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        var data = ml.Data.LoadFromEnumerable(points.Select((p, i) => new Row { Features = p.Select(x => (float)x).ToArray(), Label = (float)values[i] }), schema);
        var trainer = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = Trees, NumberOfLeaves = Math.Max(2, points.Count), MinimumExampleCountPerLeaf = 1, FeatureFraction = 1,
            NumberOfThreads = 1, Seed = seed,
        });
        return trainer.Fit(data).Model.TrainedTreeEnsemble.Trees;
    }

    // The leaves of a tree as boxes of [0, 1]^d: a node sends a point left when its feature is at most the threshold.
    // A child index below zero is a leaf, its index complemented.
    private static void Walk(RegressionTreeBase tree, int node, double[] low, double[] high, List<Leaf> leaves)
    {
        if (tree.NumberOfNodes == 0 || node < 0)
        {
            var index = tree.NumberOfNodes == 0 ? 0 : ~node;
            leaves.Add(new Leaf(low.ToArray(), high.ToArray(), tree.LeafValues[index]));
            return;
        }
        var (feature, threshold) = (tree.NumericalSplitFeatureIndexes[node], tree.NumericalSplitThresholds[node]);
        var (oldLow, oldHigh) = (low[feature], high[feature]);
        high[feature] = Math.Min(oldHigh, threshold);
        if (high[feature] > oldLow) Walk(tree, tree.LeftChild[node], low, high, leaves);
        high[feature] = oldHigh;
        low[feature] = Math.Max(oldLow, threshold);
        if (oldHigh > low[feature]) Walk(tree, tree.RightChild[node], low, high, leaves);
        low[feature] = oldLow;
    }

    /// <summary>The variance along one setting of the tree's prediction averaged over every other setting.</summary>
    private static double Marginal(IReadOnlyList<Leaf> leaves, int d, double mean)
    {
        var cuts = leaves.SelectMany(l => new[] { l.Low[d], l.High[d] }).Append(0).Append(1).Distinct().Order().ToList();
        var variance = 0.0;
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var middle = (cuts[i] + cuts[i + 1]) / 2;
            var marginal = leaves.Where(l => l.Low[d] <= middle && middle < l.High[d]).Sum(l => l.Value * l.Volume / (l.High[d] - l.Low[d]));
            variance += (cuts[i + 1] - cuts[i]) * (marginal - mean) * (marginal - mean);
        }
        return variance;
    }

    private sealed record Leaf(double[] Low, double[] High, double Value)
    {
        public double Volume { get; } = Low.Zip(High, (l, h) => h - l).Aggregate(1.0, (v, w) => v * w);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}
