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
        foreach (var group in finished.GroupBy(f => (f.Spec.Task, f.Spec.Method, Distilled: f.Spec.Distillation is not null, f.Spec.Keep)))
        {
            var byKey = group.GroupBy(f => CellKey(f.Spec)).Select(cell => (Settings: SettingsOfCell(cell.Key), Seeds: cell.ToList())).ToList();
            var varied = new VariedSettings();
            foreach (var cell in byKey) varied.Add(cell.Settings);
            cells.AddRange(byKey.Select(cell => Summarise(cell.Seeds, varied.Of(cell.Settings), select)));
        }
        return cells;
    }

    /// <summary>One cell: its seeds' trials (in any order, at least one) summarised per metric under <paramref name="select"/>.</summary>
    /// <param name="varied">What sets the cell apart from the others of its task, method, distillation and keep.</param>
    public static ResultCell Summarise(IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> seeds, IReadOnlyList<KeyValuePair<string, string>> varied, MetricSelection select)
    {
        var trials = seeds.OrderBy(f => f.Spec.Seed).ToList();
        var first = trials[0].Spec;
        var names = trials[0].Outcome.SelectedMetrics(select).Select(m => m.Key).ToList();
        var metrics = names
            .Select(name => (name, values: trials.Select(t => t.Outcome.SelectedMetrics(select).FirstOrDefault(m => m.Key == name))
                .Where(m => m.Key is not null).Select(m => m.Value).ToList()))
            .Where(m => m.values.Count > 0)
            .Select(m => new KeyValuePair<string, SeedStatistics>(m.name, SeedStatistics.Of(m.values)))
            .ToList();
        var achievedKeep = SeedStatistics.Of(trials.Select(t => t.Outcome.AchievedKeepFraction).ToList());
        return new ResultCell(first.Task, first.Method, first.Distillation is not null, first.Keep, varied, metrics, achievedKeep,
            trials.Count(t => t.Outcome.SelectedCollapsed(select)), trials.Select(t => t.Spec.Id).ToList())
        {
            Stopped = trials.Count(t => t.Outcome.StoppedAtStep is not null),
        };
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
            var settings = group.Select(CellKey).Distinct().ToDictionary(key => key, SettingsOfCell);
            var varied = new VariedSettings();
            foreach (var cell in settings.Values) varied.Add(cell);
            foreach (var trial in group) labels[trial.Id] = string.Join(", ", varied.Of(settings[CellKey(trial)]).Select(v => $"{v.Key} {v.Value}"));
        }
        return labels;
    }

    /// <summary>Every setting of one trial as (name, value) pairs, named as the cells name what sets them apart.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> AllSettings(TrialSpec spec) =>
        Flatten(JsonDocument.Parse(spec.CanonicalJson()).RootElement, "").ToList();

    /// <summary>
    /// Everything that makes a trial what it is, less its seed (and its teacher's id, which follows the seed), as
    /// canonical JSON: trials with the same key are the seeds of one cell.
    /// </summary>
    public static string CellKey(TrialSpec spec) =>
        (spec with { Seed = 0, Distillation = spec.Distillation is { } kd ? kd with { TeacherTrialId = null } : null }).CanonicalJson();

    /// <summary>The settings of a cell, from its <see cref="CellKey"/>, as (name, value) pairs named as the cells name them.</summary>
    public static Dictionary<string, string> SettingsOfCell(string cellKey) => Flatten(JsonDocument.Parse(cellKey).RootElement, "");

    private static Dictionary<string, string> Flatten(JsonElement element, string prefix)
    {
        var values = new Dictionary<string, string>();
        foreach (var property in element.EnumerateObject())
        {
            var name = SettingName(property.Name);
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

    /// <summary>
    /// A property's name as the grid names the setting: its <see cref="GridKeyAttribute"/> where it has one
    /// (ScoreLearningRate → score_lr), else in snake case (BatchSize → batch_size, the grid's key too).
    /// </summary>
    public static string SettingName(string property) => GridKeys.TryGetValue(property, out var key) ? key : Snake(property);

    private static readonly Dictionary<string, string> GridKeys = new[] { typeof(TrialSpec), typeof(TrainingSpec), typeof(DistillationSpec) }
        .SelectMany(type => type.GetProperties())
        .Select(p => (p.Name, Attribute: p.GetCustomAttributes(typeof(GridKeyAttribute), false).OfType<GridKeyAttribute>().FirstOrDefault()))
        .Where(p => p.Attribute is not null)
        .ToDictionary(p => p.Name, p => p.Attribute!.Key);

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
