using System.Globalization;
using Sweeps.Pruning.Training;
using Sweeps.SweepClient.Grids.Search;
using YamlDotNet.RepresentationModel;

namespace Sweeps.SweepClient.Grids;

/// <summary>The grid's search: <c>search: {method, samples, seed}</c> and training settings given as distributions.</summary>
public sealed partial class GridReader
{
    private static readonly string DistributionExpected =
        "a value, a list, or one distribution: {uniform: [low, high]}, {log_uniform: [low, high]}, {int_uniform: [low, high]} or {choice: [a, b, …]}";

    private SearchSpec Search(Dictionary<string, YamlNode> keys, IReadOnlyDictionary<string, Distribution> distributions)
    {
        if (!keys.TryGetValue("search", out var node))
        {
            if (distributions.Count > 0) Fail(keys["training"].Start, "search", "training settings are given as distributions; add search: {method: random | sobol, samples: N}");
            return SearchSpec.Grid;
        }
        if (node is not YamlMappingNode mapping)
        {
            Mismatch(node, "search", "a mapping: {method: grid | random | sobol, samples: N, seed: S}");
            return SearchSpec.Grid;
        }
        var fields = Mapping(mapping, "search", ["method", "samples", "seed"]);
        var method = fields.TryGetValue("method", out var m)
            ? (m as YamlScalarNode)?.Value switch
            {
                "grid" => SearchMethod.Grid,
                "random" => SearchMethod.Random,
                "sobol" => SearchMethod.Sobol,
                _ => Invalid<SearchMethod>(m, "search.method", "grid, random or sobol") ?? SearchMethod.Grid,
            }
            : SearchMethod.Grid;
        var samples = fields.TryGetValue("samples", out var n)
            ? Integer(n, "search.samples", v => v is >= 1 and <= SearchSpec.MaxSamples, $"a positive integer, at most {SearchSpec.MaxSamples}") ?? 1
            : 1;
        if (method != SearchMethod.Grid && n is null) Fail(mapping.Start, "search.samples", "is required: how many points to draw, e.g. samples: 27");
        var seed = fields.TryGetValue("seed", out var s) ? Integer(s, "search.seed", v => v >= 0, "a non-negative integer") ?? 0 : 0;
        if (method == SearchMethod.Grid && distributions.Count > 0)
            Fail(mapping.Start, "search.method", "is grid, but training settings are given as distributions; use random or sobol (or give lists)");
        if (method == SearchMethod.Grid && fields.ContainsKey("samples"))
            Fail(fields["samples"].Start, "search.samples", "applies to random and sobol only (a grid crosses its lists)");
        if (method != SearchMethod.Grid && distributions.Count == 0)
            Fail(mapping.Start, "search", $"method {method.ToString().ToLowerInvariant()} has nothing to sample; give a training setting as a distribution, e.g. score_lr: {{log_uniform: [1e-3, 1e-1]}}");
        if (method == SearchMethod.Sobol && distributions.Count > SobolSequence.MaxDimensions)
            Fail(mapping.Start, "search.method", $"sobol samples at most {SobolSequence.MaxDimensions} settings here, and {distributions.Count} are distributions; use random");
        return new SearchSpec(method, samples, seed);
    }

    /// <summary>One training setting's distribution, its bounds within the setting's range; null after recording why not.</summary>
    private Distribution? ReadDistribution(YamlMappingNode node, TrialSetting setting)
    {
        var key = $"training.{setting.Key}";
        if (node.Children.Count != 1 || node.Children.Single().Key is not YamlScalarNode { Value: { } name } || !Distribution.Names.TryGetValue(name, out var kind))
        {
            Fail(node.Start, key, $"expected {DistributionExpected}");
            return null;
        }
        var argument = node.Children.Single().Value;
        var values = argument is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode)
            ? sequence.Children.Select(c => Number(c, $"{key}.{name}", setting.Contains, setting.Expected)).ToList()
            : null;
        if (values is null || values.Any(v => v is null))
        {
            if (values is null) Fail(argument.Start, $"{key}.{name}", kind == DistributionKind.Choice ? "expected a list of values" : "expected [low, high]");
            return null;
        }
        var numbers = values.Select(v => v!.Value).ToList();
        if (kind == DistributionKind.Choice)
        {
            if (numbers.Count < 2 || numbers.Distinct().Count() != numbers.Count)
            {
                Fail(argument.Start, $"{key}.choice", "expected two or more different values");
                return null;
            }
            return new Distribution(kind, numbers.Min(), numbers.Max(), numbers);
        }
        if (numbers.Count != 2 || numbers[0] >= numbers[1])
        {
            Fail(argument.Start, $"{key}.{name}", "expected [low, high] with low < high");
            return null;
        }
        var (low, high) = (numbers[0], numbers[1]);
        if (kind == DistributionKind.LogUniform && low <= 0)
        {
            Fail(argument.Start, $"{key}.log_uniform", "expected low > 0 (a logarithm is taken)");
            return null;
        }
        if (kind == DistributionKind.IntUniform && (low != Math.Floor(low) || high != Math.Floor(high)))
        {
            Fail(argument.Start, $"{key}.int_uniform", "expected integer bounds");
            return null;
        }
        if (setting.Integer && kind != DistributionKind.IntUniform)
        {
            Fail(node.Start, key, $"is an integer setting; expected {{int_uniform: [low, high]}} or {{choice: [...]}}, not {name}");
            return null;
        }
        return new Distribution(kind, low, high, []);
    }
}
