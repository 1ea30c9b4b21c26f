using Sweeps.Search;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.SweepClient.Grids.Search;
using YamlDotNet.RepresentationModel;

namespace Sweeps.SweepClient.Grids;

/// <summary>The grid's search: <c>search: {method, samples, seed, startup}</c>, training settings given as distributions, and <c>early_stopping</c>.</summary>
public sealed partial class GridReader
{
    private static readonly string DistributionExpected =
        "a value, a list, or one distribution: {uniform: [low, high]}, {log_uniform: [low, high]}, {int_uniform: [low, high]} or {choice: [a, b, …]}";

    private SearchSpec Search(Dictionary<string, YamlNode> keys, IReadOnlyDictionary<string, Distribution> distributions)
    {
        if (!keys.TryGetValue("search", out var node))
        {
            if (distributions.Count > 0) Fail(keys["training"].Start, "search", "training settings are given as distributions; add search: {method: random | sobol | tpe, samples: N}");
            return SearchSpec.Grid;
        }
        if (node is not YamlMappingNode mapping)
        {
            Mismatch(node, "search", "a mapping: {method: grid | random | sobol | tpe, samples: N, seed: S}");
            return SearchSpec.Grid;
        }
        var fields = Mapping(mapping, "search", ["method", "samples", "seed", "startup"]);
        var method = fields.TryGetValue("method", out var m)
            ? (m as YamlScalarNode)?.Value switch
            {
                "grid" => SearchMethod.Grid,
                "random" => SearchMethod.Random,
                "sobol" => SearchMethod.Sobol,
                "tpe" => SearchMethod.Tpe,
                _ => Invalid<SearchMethod>(m, "search.method", "grid, random, sobol or tpe") ?? SearchMethod.Grid,
            }
            : SearchMethod.Grid;
        var samples = fields.TryGetValue("samples", out var n)
            ? Integer(n, "search.samples", v => v is >= 1 and <= SearchSpec.MaxSamples, $"a positive integer, at most {SearchSpec.MaxSamples}") ?? 1
            : 1;
        if (method != SearchMethod.Grid && n is null) Fail(mapping.Start, "search.samples", "is required: how many points to draw, e.g. samples: 27");
        var seed = fields.TryGetValue("seed", out var s) ? Integer(s, "search.seed", v => v >= 0, "a non-negative integer") ?? 0 : 0;
        var startup = fields.TryGetValue("startup", out var st)
            ? Integer(st, "search.startup", v => v is >= 1 and <= SearchSpec.MaxSamples, "a positive integer: the points drawn at random before TPE's model is used") ?? SearchSpec.DefaultStartup
            : SearchSpec.DefaultStartup;
        if (st is not null && method != SearchMethod.Tpe) Fail(st.Start, "search.startup", "applies to tpe only (random and sobol draw every point the same way)");
        if (method == SearchMethod.Grid && distributions.Count > 0)
            Fail(mapping.Start, "search.method", "is grid, but training settings are given as distributions; use random, sobol or tpe (or give lists)");
        if (method == SearchMethod.Grid && fields.ContainsKey("samples"))
            Fail(fields["samples"].Start, "search.samples", "applies to random, sobol and tpe only (a grid crosses its lists)");
        if (method != SearchMethod.Grid && distributions.Count == 0)
            Fail(mapping.Start, "search", $"method {method.ToString().ToLowerInvariant()} has nothing to sample; give a training setting as a distribution, e.g. score_lr: {{log_uniform: [1e-3, 1e-1]}}");
        if (method == SearchMethod.Sobol && distributions.Count > SobolSequence.MaxDimensions)
            Fail(mapping.Start, "search.method", $"sobol samples at most {SobolSequence.MaxDimensions} settings here, and {distributions.Count} are distributions; use random");
        return new SearchSpec(method, samples, seed, startup);
    }

    /// <summary>
    /// <c>objectives: [{metric: accuracy, mode: max}, {keep: min}]</c>: what a model-based search judges its points by;
    /// several make it look for their Pareto front. Null when absent (the primary metric, maximised).
    /// </summary>
    private IReadOnlyList<SearchObjective>? Objectives(Dictionary<string, YamlNode> keys, SearchSpec search, IReadOnlyList<GridTask> tasks)
    {
        if (!keys.TryGetValue("objectives", out var node)) return null;
        const string expected = "a list of {metric: NAME, mode: max | min} and {keep: min}, e.g. [{metric: accuracy, mode: max}, {keep: min}]";
        if (node is not YamlSequenceNode { Children.Count: >= 1 and <= 3 } list)
        {
            Mismatch(node, "objectives", "one to three objectives: " + expected);
            return null;
        }
        if (search.Method != SearchMethod.Tpe) Fail(node.Start, "objectives", "apply to search method tpe (the sweep proposes points by them)");
        var objectives = new List<SearchObjective>();
        foreach (var entry in list.Children)
        {
            if (entry is not YamlMappingNode mapping)
            {
                Mismatch(entry, "objectives", expected);
                continue;
            }
            var fields = Mapping(mapping, "objectives", ["metric", "mode", "keep"]);
            bool? Mode(YamlNode? n, string key) => (n as YamlScalarNode)?.Value switch { "max" => true, "min" => false, _ => Invalid<bool>(n ?? mapping, key, "max or min") };
            if (fields.TryGetValue("keep", out var keep))
            {
                if (fields.ContainsKey("metric") || fields.ContainsKey("mode")) Fail(mapping.Start, "objectives", "an objective is a metric or the keep fraction, not both: " + expected);
                if (Mode(keep, "objectives.keep") is { } maximiseKeep) objectives.Add(new SearchObjective(null, Keep: true, maximiseKeep));
            }
            else if (fields.TryGetValue("metric", out var metric) && (metric as YamlScalarNode)?.Value is { Length: > 0 } name)
            {
                CheckMetric(metric, "objectives.metric", name, tasks);
                var maximise = fields.TryGetValue("mode", out var mode) ? Mode(mode, "objectives.mode") ?? true : true;
                objectives.Add(new SearchObjective(name, Keep: false, maximise));
            }
            else Fail(mapping.Start, "objectives", expected);
        }
        if (objectives.Distinct().Count() != objectives.Count) Fail(node.Start, "objectives", "lists an objective twice");
        return objectives;
    }

    /// <summary>
    /// A metric the sweep judges trials by must be one every task reports: one a task lacks would make each of its trials
    /// the worst (a search) or never stop one (ASHA), silently.
    /// </summary>
    private void CheckMetric(YamlNode at, string key, string metric, IReadOnlyList<GridTask> tasks)
    {
        foreach (var task in tasks)
            if (TaskCatalog.MetricNames(task.Name) is { } reported && !reported.Contains(metric))
                Fail(at.Start, key, $"{Shown(metric)} is not a metric task {task.Name} reports; it reports {string.Join(", ", reported)}");
    }

    /// <summary><c>early_stopping: {method: asha, metric, mode, grace, reduction_factor, max, stop_collapsed}</c>; null when absent.</summary>
    private EarlyStoppingSpec? EarlyStopping(Dictionary<string, YamlNode> keys, IReadOnlyList<GridTask> tasks)
    {
        if (!keys.TryGetValue("early_stopping", out var node)) return null;
        if (node is not YamlMappingNode mapping)
        {
            Mismatch(node, "early_stopping", "a mapping: {method: asha, grace: N, …}");
            return null;
        }
        var fields = Mapping(mapping, "early_stopping", ["method", "metric", "mode", "grace", "reduction_factor", "max", "stop_collapsed"]);
        if (!fields.TryGetValue("method", out var method) || (method as YamlScalarNode)?.Value != "asha")
            Fail((method ?? mapping).Start, "early_stopping.method", "expected asha (asynchronous successive halving)");
        var metric = OptionalString(fields, "metric");
        if (metric is not null) CheckMetric(fields["metric"], "early_stopping.metric", metric, tasks);
        var maximize = !fields.TryGetValue("mode", out var mode) || (mode as YamlScalarNode)?.Value switch
        {
            "max" => true,
            "min" => false,
            _ => Invalid<bool>(mode, "early_stopping.mode", "max (higher is better) or min") ?? true,
        };
        const int maxSteps = TrialSettings.MaxSteps;
        int Steps(string key, int fallback) => fields.TryGetValue(key, out var n)
            ? Integer(n, $"early_stopping.{key}", v => v is >= 1 and <= maxSteps, $"a positive number of steps, at most {maxSteps}") ?? fallback
            : fallback;
        if (!fields.ContainsKey("grace")) Fail(mapping.Start, "early_stopping.grace", "is required: the steps every trial trains before it can be stopped");
        var grace = Steps("grace", 1);
        var factor = fields.TryGetValue("reduction_factor", out var rf) ? Integer(rf, "early_stopping.reduction_factor", v => v is >= 2 and <= 100, "an integer from 2 to 100") ?? 3 : 3;
        var max = Steps("max", maxSteps);
        if (max <= grace) Fail((fields.GetValueOrDefault("max") ?? mapping).Start, "early_stopping.max", $"must be more than grace ({grace}): no rung would be left");
        var stopCollapsed = fields.TryGetValue("stop_collapsed", out var sc) && (sc as YamlScalarNode)?.Value switch
        {
            "true" => true,
            "false" => false,
            _ => Invalid<bool>(sc, "early_stopping.stop_collapsed", "true or false") ?? false,
        };
        return new EarlyStoppingSpec(metric, maximize, grace, factor, max, stopCollapsed);
    }

    /// <summary>One training setting's distribution, its bounds within the setting's range; null after recording why not.</summary>
    /// <param name="key">Where the distribution is in the grid (default: under <c>training</c>).</param>
    /// <param name="expected">What the key takes, for a mapping that is no distribution (default: <see cref="DistributionExpected"/>).</param>
    private Distribution? ReadDistribution(YamlMappingNode node, TrialSetting setting, string? key = null, string? expected = null)
    {
        key ??= $"training.{setting.Key}";
        if (node.Children.Count != 1 || node.Children.Single().Key is not YamlScalarNode { Value: { } name } || !Distribution.Names.TryGetValue(name, out var kind))
        {
            Fail(node.Start, key, $"expected {expected ?? DistributionExpected}");
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
