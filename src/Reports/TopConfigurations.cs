using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>One task and keep fraction's best configurations, best first, out of <paramref name="Configurations"/>.</summary>
public sealed record TopGroup(string Task, double Keep, string Metric, int Configurations, IReadOnlyList<ResultCell> Cells)
{
    /// <summary>The settings in which the configurations shown differ: the table's columns.</summary>
    public IReadOnlyList<string> Settings => Cells.SelectMany(c => c.Varied.Select(v => v.Key)).Distinct().ToList();
}

/// <summary>
/// A search's answer: per task and keep fraction, its configurations (cells: every setting but the seed equal) ranked by
/// the mean over their seeds of the task's primary metric, higher first (every metric the tasks report is better higher),
/// each with the settings that set it apart. Methods and distillation settings of one keep fraction are ranked together.
/// </summary>
public static class TopConfigurations
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<TopGroup> Of(IReadOnlyList<ResultCell> cells, int count) =>
        cells.GroupBy(c => (c.Task, c.Keep))
            .OrderBy(g => g.Key.Task, StringComparer.Ordinal).ThenByDescending(g => g.Key.Keep)
            .Select(g =>
            {
                var metric = g.First().Metrics[0].Key;
                var ranked = g.Where(c => c.Metric(metric) is not null)
                    // Means equal but for float rounding (0.8 + 0.9 against 0.84 + 0.86) are a tie.
                    .OrderByDescending(c => Math.Round(c.Metric(metric)!.Mean, 9))
                    .ThenBy(c => c.Metric(metric)!.Std ?? double.PositiveInfinity) // the steadier of two equal means first
                    .ThenByDescending(c => c.N)
                    .ThenBy(c => c.Row, StringComparer.Ordinal)
                    .Take(count).ToList();
                return new TopGroup(g.Key.Task, g.Key.Keep, metric, g.Count(), ranked);
            })
            .ToList();

    public static void Write(IAnsiConsole console, IReadOnlyList<TopGroup> groups)
    {
        foreach (var group in groups)
        {
            console.MarkupLineInterpolated($"{Title(group)}"); // on a line of its own, not wrapped to the table's width
            var table = new Table().AddColumn("rank").AddColumn("method");
            foreach (var setting in group.Settings) table.AddColumn(new TableColumn(Markup.Escape(setting)).RightAligned());
            table.AddColumn(new TableColumn(Markup.Escape(MetricsHeader(group))).RightAligned());
            foreach (var (cell, rank) in group.Cells.Select((c, i) => (c, i + 1)))
                table.AddRow([rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(cell.MethodLabel),
                    .. group.Settings.Select(s => Markup.Escape(SettingOf(cell, s))), Markup.Escape(ResultsWriter.CellText(cell, MetricsOf(cell)))]);
            console.Write(table);
        }
    }

    public static string Render(IReadOnlyList<TopGroup> groups, ResultsFormat format) => format switch
    {
        ResultsFormat.Markdown => Markdown(groups),
        ResultsFormat.Csv => Csv(groups),
        ResultsFormat.Json => Json(groups),
        _ => throw new ArgumentOutOfRangeException(nameof(format), "tables are written with Write"),
    };

    private static string Markdown(IReadOnlyList<TopGroup> groups)
    {
        var text = new StringBuilder();
        foreach (var group in groups)
        {
            text.AppendLine($"**{Title(group)}**").AppendLine();
            text.AppendLine($"| rank | method | {string.Concat(group.Settings.Select(s => s + " | "))}{MetricsHeader(group)} |");
            text.AppendLine($"| ---: | --- |{string.Concat(group.Settings.Select(_ => " ---: |"))} ---: |");
            foreach (var (cell, rank) in group.Cells.Select((c, i) => (c, i + 1)))
                text.AppendLine($"| {rank} | {cell.MethodLabel} | {string.Concat(group.Settings.Select(s => SettingOf(cell, s) + " | "))}{ResultsWriter.CellText(cell, MetricsOf(cell))} |");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<TopGroup> groups)
    {
        var text = new StringBuilder("task,keep,rank,method,distillation,settings,metric,mean,std,n,collapsed,stopped,trials\n");
        foreach (var group in groups)
            foreach (var (cell, rank) in group.Cells.Select((c, i) => (c, i + 1)))
            {
                var stats = cell.Metric(group.Metric)!;
                text.AppendLine(string.Join(',', group.Task, ResultsWriter.Number(group.Keep), rank, cell.Method, cell.Distilled ? "teacher" : "off", ResultsWriter.Quote(cell.Settings), group.Metric,
                    ResultsWriter.Number(stats.Mean), ResultsWriter.Number(stats.Std), stats.N, cell.Collapsed, cell.Stopped, string.Join(' ', cell.TrialIds)));
            }
        return text.ToString();
    }

    private static string Json(IReadOnlyList<TopGroup> groups) => JsonSerializer.Serialize(groups.Select(g => new
    {
        task = g.Task, keep = g.Keep, metric = g.Metric, configurations = g.Configurations,
        top = g.Cells.Select((c, i) => new
        {
            rank = i + 1, method = c.Method, distillation = c.Distilled ? "teacher" : "off",
            settings = c.Varied.ToDictionary(v => v.Key, v => v.Value),
            n = c.N, collapsed = c.Collapsed, stopped = c.Stopped,
            metrics = c.Metrics.ToDictionary(m => m.Key, m => new { mean = m.Value.Mean, std = m.Value.Std, n = m.Value.N, min = m.Value.Min, max = m.Value.Max }),
            trials = c.TrialIds,
        }),
    }), Indented);

    private static string Title(TopGroup group) =>
        $"{group.Task}, keep {group.Keep * 100:0.#}% — the best {group.Cells.Count} of {group.Configurations} configurations by dev {group.Metric}";

    private static string MetricsHeader(TopGroup group) => $"dev {string.Join(" / ", group.Cells.Count > 0 ? MetricsOf(group.Cells[0]) : [group.Metric])}, mean ± std (n)";

    private static IReadOnlyList<string> MetricsOf(ResultCell cell) => cell.Metrics.Select(m => m.Key).ToList();

    private static string SettingOf(ResultCell cell, string setting) => cell.Varied.FirstOrDefault(v => v.Key == setting).Value ?? "";

}
