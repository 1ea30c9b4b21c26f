using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// One task's trade-off of accuracy against size: the cells no other cell of the task beats on both (<see cref="Front"/>,
/// fewest weights kept first) and the hypervolume they dominate against <see cref="ParetoFront.Reference"/>.
/// </summary>
public sealed record ParetoGroup(string Task, string Metric, int Cells, IReadOnlyList<ResultCell> Front, double Hypervolume);

/// <summary>
/// A sweep's results as a Pareto front per task: objectives the primary metric's mean over seeds (higher is better) and
/// the keep fraction the masks achieved, mean over seeds (lower is better: a smaller model). A cell dominates another
/// when it is at least as good on both and better on one. The hypervolume is the area of the (keep, metric) plane the
/// front dominates, bounded by the reference point: keep 1 (the dense model) and metric 0. It grows when the front moves
/// up or left, and compares sweeps of one task.
/// </summary>
public static class ParetoFront
{
    /// <summary>The reference point, (achieved keep, metric): the dense model's size, the worst score.</summary>
    public static readonly (double Keep, double Metric) Reference = (1.0, 0.0);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<ParetoGroup> Of(IReadOnlyList<ResultCell> cells) =>
        cells.GroupBy(c => c.Task).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var metric = g.First().Metrics[0].Key;
            var scored = g.Where(c => c.Metric(metric) is not null).ToList();
            var front = scored.Where(c => !scored.Any(other => Dominates(other, c, metric)))
                .OrderBy(c => c.AchievedKeep.Mean).ThenByDescending(c => c.Metric(metric)!.Mean).ThenBy(c => c.Row, StringComparer.Ordinal).ToList();
            return new ParetoGroup(g.Key, metric, g.Count(), front, Hypervolume(front.Select(c => (c.AchievedKeep.Mean, c.Metric(metric)!.Mean)).ToList()));
        }).ToList();

    /// <summary>Whether <paramref name="a"/> is at least as good as <paramref name="b"/> on both objectives and better on one.</summary>
    public static bool Dominates(ResultCell a, ResultCell b, string metric)
    {
        var (keepA, keepB, scoreA, scoreB) = (a.AchievedKeep.Mean, b.AchievedKeep.Mean, a.Metric(metric)!.Mean, b.Metric(metric)!.Mean);
        return keepA <= keepB && scoreA >= scoreB && (keepA < keepB || scoreA > scoreB);
    }

    /// <summary>
    /// The area dominated by <paramref name="points"/> (keep, metric) within the reference point: the union of the
    /// rectangles from each point to (keep 1, metric 0). Points outside the reference box add nothing.
    /// </summary>
    public static double Hypervolume(IReadOnlyList<(double Keep, double Metric)> points)
    {
        var inside = points.Where(p => p.Keep < Reference.Keep && p.Metric > Reference.Metric).OrderBy(p => p.Keep).ToList();
        var (area, best) = (0.0, Reference.Metric);
        for (var i = 0; i < inside.Count; i++)
        {
            // From this point's keep to the next one's, the best metric reached by a keep this small or smaller.
            best = Math.Max(best, inside[i].Metric);
            var next = i + 1 < inside.Count ? inside[i + 1].Keep : Reference.Keep;
            area += (next - inside[i].Keep) * (best - Reference.Metric);
        }
        return area;
    }

    public static void Write(IAnsiConsole console, IReadOnlyList<ParetoGroup> groups)
    {
        foreach (var group in groups)
        {
            console.MarkupLineInterpolated($"{Title(group)}");
            var table = new Table().AddColumn("method").AddColumn("settings").AddColumn(new TableColumn("keep").RightAligned())
                .AddColumn(new TableColumn("achieved keep").RightAligned()).AddColumn(new TableColumn(Markup.Escape($"dev {group.Metric}, mean ± std (n)")).RightAligned());
            foreach (var cell in group.Front)
                table.AddRow(Markup.Escape(cell.MethodLabel), Markup.Escape(cell.Settings), Percent(cell.Keep), Percent(cell.AchievedKeep.Mean),
                    Markup.Escape(ResultsWriter.CellText(cell, [group.Metric])));
            console.Write(table);
        }
    }

    public static string Render(IReadOnlyList<ParetoGroup> groups, ResultsFormat format) => format switch
    {
        ResultsFormat.Markdown => Markdown(groups),
        ResultsFormat.Csv => Csv(groups),
        ResultsFormat.Json => Json(groups),
        _ => throw new ArgumentOutOfRangeException(nameof(format), "tables are written with Write"),
    };

    private static string Markdown(IReadOnlyList<ParetoGroup> groups)
    {
        var text = new StringBuilder();
        foreach (var group in groups)
        {
            text.AppendLine($"**{Title(group)}**").AppendLine();
            text.AppendLine($"| method | settings | keep | achieved keep | dev {group.Metric}, mean ± std (n) |");
            text.AppendLine("| --- | --- | ---: | ---: | ---: |");
            foreach (var cell in group.Front)
                text.AppendLine($"| {cell.MethodLabel} | {cell.Settings} | {Percent(cell.Keep)} | {Percent(cell.AchievedKeep.Mean)} | {ResultsWriter.CellText(cell, [group.Metric])} |");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<ParetoGroup> groups)
    {
        var text = new StringBuilder("task,method,distillation,settings,keep,achieved_keep,metric,mean,std,n,hypervolume,trials\n");
        foreach (var group in groups)
            foreach (var cell in group.Front)
            {
                var stats = cell.Metric(group.Metric)!;
                text.AppendLine(string.Join(',', group.Task, cell.Method, cell.Distilled ? "teacher" : "off", ResultsWriter.Quote(cell.Settings), ResultsWriter.Number(cell.Keep),
                    ResultsWriter.Number(cell.AchievedKeep.Mean), group.Metric, ResultsWriter.Number(stats.Mean), ResultsWriter.Number(stats.Std), stats.N,
                    ResultsWriter.Number(group.Hypervolume), string.Join(' ', cell.TrialIds)));
            }
        return text.ToString();
    }

    private static string Json(IReadOnlyList<ParetoGroup> groups) => JsonSerializer.Serialize(groups.Select(g => new
    {
        task = g.Task, metric = g.Metric, cells = g.Cells, hypervolume = g.Hypervolume,
        reference = new { keep = Reference.Keep, metric = Reference.Metric },
        front = g.Front.Select(c => new
        {
            method = c.Method, distillation = c.Distilled ? "teacher" : "off", settings = c.Varied.ToDictionary(v => v.Key, v => v.Value),
            keep = c.Keep, achieved_keep = c.AchievedKeep.Mean, n = c.N,
            metric = new { mean = c.Metric(g.Metric)!.Mean, std = c.Metric(g.Metric)!.Std },
            trials = c.TrialIds,
        }),
    }), Indented);

    private static string Title(ParetoGroup group) => string.Create(CultureInfo.InvariantCulture,
        $"{group.Task}: {group.Front.Count} of {group.Cells} configurations on the front of dev {group.Metric} against the keep achieved; hypervolume {group.Hypervolume:F4} (reference: keep 100%, {group.Metric} 0)");

    private static string Percent(double keep) => string.Create(CultureInfo.InvariantCulture, $"{keep * 100:0.##}%");
}
