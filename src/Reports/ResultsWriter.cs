using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>
/// Prints a sweep's results. Table and Markdown are laid out like the paper: per task, one row per method (± KD), one
/// column per keep fraction, each cell the mean ± standard deviation over its seeds with n. CSV and JSON print the
/// same cells with mean, std, n, min, max and collapsed seeds per metric; with <c>trials</c> they list every trial
/// with its configuration and result instead (its dev curve and mask churn as step:value series).
/// </summary>
public static class ResultsWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(SweepStatus status, ResultsFormat format, bool trials = false) => (format, trials) switch
    {
        (ResultsFormat.Csv, true) => TrialsCsv(status),
        (ResultsFormat.Json, true) => JsonSerializer.Serialize(status.Trials.Select(TrialRow.From), Indented),
        _ => Render(SweepResults.Of(status), format),
    };

    /// <summary>The cells as Markdown, CSV or JSON (what a sweep serves without its trials).</summary>
    public static string Render(SweepResults results, ResultsFormat format) => format switch
    {
        ResultsFormat.Markdown => Markdown(results),
        ResultsFormat.Csv => SummaryCsv(results),
        ResultsFormat.Json => SummaryJson(results),
        _ => throw new ArgumentOutOfRangeException(nameof(format), "tables are written with Write"),
    };

    /// <summary>Writes the paper-style table to the console.</summary>
    public static void Write(IAnsiConsole console, SweepResults results)
    {
        foreach (var panel in Panels(results))
        {
            // The title on a line of its own: as a table's title it would wrap to the table's width, which is often narrower.
            console.MarkupLineInterpolated($"{Title(panel, results.Select)}");
            var table = new Table().AddColumn("method");
            foreach (var keep in panel.Keeps) table.AddColumn(new TableColumn(KeepHeader(keep)).RightAligned());
            foreach (var row in panel.Rows)
                table.AddRow([Markup.Escape(row), .. panel.Keeps.Select(k => Markup.Escape(CellText(panel.Cell(row, k), panel.Metrics)))]);
            console.Write(table);
        }
    }

    private static string Markdown(SweepResults results)
    {
        var text = new StringBuilder();
        foreach (var panel in Panels(results))
        {
            text.AppendLine($"**{panel.Task}** — {Title(panel, results.Select)[(panel.Task.Length + 3)..]}").AppendLine();
            text.AppendLine($"| method | {string.Join(" | ", panel.Keeps.Select(KeepHeader))} |");
            text.AppendLine($"| --- |{string.Concat(panel.Keeps.Select(_ => " ---: |"))}");
            foreach (var row in panel.Rows)
                text.AppendLine($"| {row} | {string.Join(" | ", panel.Keeps.Select(k => CellText(panel.Cell(row, k), panel.Metrics)))} |");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string SummaryCsv(SweepResults results)
    {
        var text = new StringBuilder();
        text.AppendLine("task,method,distillation,keep,settings,metric,mean,std,n,min,max,collapsed,stopped,select,trials");
        foreach (var cell in results.Cells)
            foreach (var (metric, stats) in cell.Metrics)
                text.AppendLine(string.Join(',', cell.Task, cell.Method, cell.Distilled ? "teacher" : "off", Number(cell.Keep), Quote(cell.Settings), Quote(metric),
                    Number(stats.Mean), Number(stats.Std), stats.N, Number(stats.Min), Number(stats.Max), cell.Collapsed, cell.Stopped,
                    results.Select.ToString().ToLowerInvariant(), string.Join(' ', cell.TrialIds)));
        return text.ToString();
    }

    private static string SummaryJson(SweepResults results) => JsonSerializer.Serialize(new
    {
        sweep = results.SweepId,
        select = results.Select.ToString().ToLowerInvariant(),
        cells = results.Cells.Select(c => new
        {
            task = c.Task, method = c.Method, distillation = c.Distilled ? "teacher" : "off", keep = c.Keep, settings = c.Settings,
            n = c.N, collapsed = c.Collapsed, stopped = c.Stopped,
            metrics = c.Metrics.ToDictionary(m => m.Key, m => new { mean = m.Value.Mean, std = m.Value.Std, n = m.Value.N, min = m.Value.Min, max = m.Value.Max }),
            trials = c.TrialIds,
        }),
    }, Indented);

    private static string TrialsCsv(SweepStatus status)
    {
        var rows = status.Trials.Select(TrialRow.From).ToList();
        var metrics = rows.SelectMany(r => r.Outcome?.Metrics.Select(m => m.Key) ?? []).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[] { "trial", "task", "method", "keep", "classifier", "precision", "distillation", "seed", "state" }
            .Concat(metrics).Concat(metrics.Select(m => "final_" + m))
            .Concat(["best_step", "collapsed", "final_collapsed", "achieved_keep", "mask_bytes", "steps", "seconds", "training_seconds", "evaluation_seconds", "tokens_per_second",
                "stopped_at_step", "curve", "mask_churn", "collapsed_at_step", "churn_at_collapse"])));
        foreach (var row in rows)
        {
            var r = row.Outcome;
            string Integer(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
            string Flag(bool? v) => v is { } b ? (b ? "true" : "false") : "";
            var fields = new[]
            {
                row.Spec.Id, row.Spec.Task, row.Spec.Method, Number(row.Spec.Keep), row.Spec.Classifier, row.Spec.PrecisionName,
                row.Spec.Distillation is null ? "off" : "teacher", row.Spec.Seed.ToString(CultureInfo.InvariantCulture), Quote(row.State),
            }.Concat(metrics.Select(m => Number(row.Metric(m))))
             .Concat(metrics.Select(m => Number(row.FinalMetric(m))))
             .Concat([Integer(r?.BestStep), Flag(r?.Collapsed), Flag(r?.FinalCollapsed), Number(r?.AchievedKeepFraction), Integer(r?.MaskBytes), Integer(r?.Steps),
                 Number(r?.WallSeconds), Number(r?.TrainingSeconds), Number(r?.EvaluationSeconds), Number(r?.TokensPerSecond), Integer(r?.StoppedAtStep),
                 // step:value of the first metric for each evaluation made while training
                 Quote(string.Join(' ', row.Curve.Select(c => $"{c.Step}:{Number(c.Metrics.FirstOrDefault().Value)}"))),
                 // step:churn for each evaluation with masks (empty for dense), as the curve
                 Quote(string.Join(' ', row.Curve.Where(c => c.MaskChurn is not null).Select(c => $"{c.Step}:{Number(c.MaskChurn)}"))),
                 Integer(r?.CollapsedAtStep), Number(r?.ChurnAtCollapse)]);
            text.AppendLine(string.Join(',', fields));
        }
        return text.ToString();
    }

    public static string Number(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    public static string Quote(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    public static string KeepHeader(double keep) => keep >= 1 ? "dense (100%)" : $"keep {keep * 100:0.#}%";

    public static string Title(ResultsPanel panel, MetricSelection select) =>
        $"{panel.Task} — dev {string.Join(" / ", panel.Metrics)}, mean ± std (n seeds), {(select == MetricSelection.Best ? "best evaluation" : "final step")} of each trial";

    /// <summary>
    /// As the paper prints a cell, every metric of the task (MNLI acc / mm, QQP acc / F1, SQuAD EM / F1), each as
    /// mean ± std over the seeds, then the number of seeds, how many of them collapsed to one class and how many early
    /// stopping ended (their best evaluation before the stop is what they contribute).
    /// </summary>
    public static string CellText(ResultCell? cell, IReadOnlyList<string> metrics)
    {
        if (cell is null) return "";
        var values = string.Join(" / ", metrics.Select(m => cell.Metric(m) is { } s
            ? s.Std is { } std ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4} ± {std:F4}") : s.Mean.ToString("F4", CultureInfo.InvariantCulture)
            : "–"));
        return $"{values} ({cell.N}{(cell.Collapsed > 0 ? $", {cell.Collapsed} collapsed" : "")}{(cell.Stopped > 0 ? $", {cell.Stopped} stopped" : "")})";
    }

    /// <summary>Per task: its metrics (primary first), keep fractions (descending), rows (dense first, then by method, KD after) and cells.</summary>
    public static IEnumerable<ResultsPanel> Panels(SweepResults results)
    {
        foreach (var task in results.Cells.GroupBy(c => c.Task))
        {
            var metrics = task.First().Metrics.Select(m => m.Key).ToList();
            var keeps = task.Select(c => c.Keep).Distinct().OrderByDescending(k => k).ToList();
            var rows = task.OrderBy(c => MethodOrder(c.Method, c.Distilled)).ThenBy(c => c.Settings, StringComparer.Ordinal).Select(c => c.Row).Distinct().ToList();
            yield return new ResultsPanel(task.Key, metrics, keeps, rows, task.ToList());
        }
    }

    private static int MethodOrder(string method, bool distilled) => (method switch
    {
        "dense" => 0, "magnitude" => 1, "movement" => 2, "smp-l" => 3, "smp-s" => 4, _ => 5,
    }) * 2 + (distilled ? 1 : 0);
}
