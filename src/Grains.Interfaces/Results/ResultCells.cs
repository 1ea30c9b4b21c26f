using System.Globalization;
using System.Text.Json;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces.Results;

/// <summary>
/// Groups a sweep's finished trials into result cells — every setting but the seed equal — and summarises each metric
/// and the achieved keep fraction over the seeds (mean ± std, n, min, max, collapsed seeds). The single best seed is
/// never a cell: that would report the luck of the draw. The table, the plot, the metrics and the web pages all read
/// cells from here.
/// </summary>
public static class ResultCells
{
    public static IReadOnlyList<ResultCell> From(IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> finished, MetricSelection select)
    {
        var cells = new List<ResultCell>();
        var groups = finished.GroupBy(f => (f.Spec.Task, f.Spec.Method, Distilled: f.Spec.Distillation is not null, f.Spec.Keep));
        foreach (var group in groups)
        {
            var byKey = group.GroupBy(f => CellKey(f.Spec)).ToList();
            var settings = DistinguishingSettings(byKey.Select(g => g.Key).ToList());
            foreach (var cell in byKey)
            {
                var trials = cell.OrderBy(f => f.Spec.Seed).ToList();
                var names = trials[0].Outcome.SelectedMetrics(select).Select(m => m.Key).ToList();
                var metrics = names
                    .Select(name => (name, values: trials.Select(t => t.Outcome.SelectedMetrics(select).FirstOrDefault(m => m.Key == name))
                        .Where(m => m.Key is not null).Select(m => m.Value).ToList()))
                    .Where(m => m.values.Count > 0)
                    .Select(m => new KeyValuePair<string, SeedStatistics>(m.name, SeedStatistics.Of(m.values)))
                    .ToList();
                var achievedKeep = SeedStatistics.Of(trials.Select(t => t.Outcome.AchievedKeepFraction).ToList());
                cells.Add(new ResultCell(group.Key.Task, group.Key.Method, group.Key.Distilled, group.Key.Keep, settings[cell.Key], metrics, achievedKeep,
                    trials.Count(t => t.Outcome.SelectedCollapsed(select)), trials.Select(t => t.Spec.Id).ToList())
                {
                    Stopped = trials.Count(t => t.Outcome.StoppedAtStep is not null),
                });
            }
        }
        return cells;
    }

    /// <summary>
    /// Per trial id, the settings in which it differs from the trials of its task, method, distillation and keep (seed
    /// aside), as "name value" pairs: what tells a grid's or a search's trials apart beyond the table's columns.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SettingsOf(IEnumerable<TrialSpec> trials)
    {
        var labels = new Dictionary<string, string>();
        foreach (var group in trials.GroupBy(t => (t.Task, t.Method, Distilled: t.Distillation is not null, t.Keep)))
        {
            var settings = DistinguishingSettings(group.Select(CellKey).Distinct().ToList());
            foreach (var trial in group) labels[trial.Id] = string.Join(", ", settings[CellKey(trial)].Select(v => $"{v.Key} {v.Value}"));
        }
        return labels;
    }

    /// <summary>Every setting of one trial as (name, value) pairs, named as the cells name what sets them apart.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> AllSettings(TrialSpec spec) =>
        Flatten(JsonDocument.Parse(spec.CanonicalJson()).RootElement, "").ToList();

    /// <summary>Everything that makes a trial what it is, less its seed (and its teacher's id, which follows the seed).</summary>
    private static string CellKey(TrialSpec spec) =>
        (spec with { Seed = 0, Distillation = spec.Distillation is { } kd ? kd with { TeacherTrialId = null } : null }).CanonicalJson();

    /// <summary>For cells that share task, method, distillation and keep: the settings in which they differ, as (name, value) pairs.</summary>
    private static Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>> DistinguishingSettings(IReadOnlyList<string> keys)
    {
        if (keys.Count == 1) return new() { [keys[0]] = [] };
        var flat = keys.ToDictionary(k => k, k => Flatten(JsonDocument.Parse(k).RootElement, ""));
        var names = flat.Values.SelectMany(f => f.Keys).Distinct().ToList();
        string ValueOf(Dictionary<string, string> settings, string name) => settings.GetValueOrDefault(name, OmittedValues.GetValueOrDefault(name, "–"));
        var differing = names.Where(n => flat.Values.Select(f => ValueOf(f, n)).Distinct().Count() > 1).ToList();
        return flat.ToDictionary(f => f.Key,
            f => (IReadOnlyList<KeyValuePair<string, string>>)differing.Select(n => new KeyValuePair<string, string>(n, ValueOf(f.Value, n))).ToList());
    }

    // What a setting left out of a trial's JSON when it has its default means (TrialSpec.Precision: null is fp32).
    private static readonly Dictionary<string, string> OmittedValues = new() { ["precision"] = "fp32" };

    private static Dictionary<string, string> Flatten(JsonElement element, string prefix)
    {
        var values = new Dictionary<string, string>();
        foreach (var property in element.EnumerateObject())
        {
            var name = Snake(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Object)
                foreach (var (inner, value) in Flatten(property.Value, ""))
                    values[prefix + (property.Name == nameof(TrialSpec.Training) ? "" : name + ".") + inner] = value;
            else
                values[prefix + name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => "none",
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number => property.Value.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
                    _ => property.Value.GetRawText(),
                };
        }
        return values;
    }

    // ScoreLearningRate → score_learning_rate: near enough to the grid's keys to be read, with no second list of names.
    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
