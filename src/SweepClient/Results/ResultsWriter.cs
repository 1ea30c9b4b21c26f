using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Sweeps.SweepClient.Results;

/// <summary>
/// Prints a sweep's results. Table and Markdown are laid out like the paper: per task, one row per method (± KD),
/// one column per keep fraction, the best primary metric over seeds and other axes in each cell. CSV and JSON list
/// every trial with its full configuration and result.
/// </summary>
public static class ResultsWriter
{
    public static string Render(IReadOnlyList<TrialRow> rows, ResultsFormat format) => format switch
    {
        ResultsFormat.Markdown => Markdown(rows),
        ResultsFormat.Csv => Csv(rows),
        ResultsFormat.Json => JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }),
        _ => throw new ArgumentOutOfRangeException(nameof(format), "tables are written with Write"),
    };

    /// <summary>Writes the paper-style table to the console.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<TrialRow> rows)
    {
        foreach (var (task, metrics, keeps, cells) in Cells(rows))
        {
            var table = new Table().Title($"{task} — dev {string.Join(" / ", metrics)}, best per cell").AddColumn("method");
            foreach (var keep in keeps) table.AddColumn(new TableColumn(KeepHeader(keep)).RightAligned());
            foreach (var (method, best) in cells)
                table.AddRow([method, .. keeps.Select(k => CellText(best, k, metrics))]);
            console.Write(table);
        }
    }

    private static string Markdown(IReadOnlyList<TrialRow> rows)
    {
        var text = new StringBuilder();
        foreach (var (task, metrics, keeps, cells) in Cells(rows))
        {
            text.AppendLine($"**{task}** — dev {string.Join(" / ", metrics)}, best per cell").AppendLine();
            text.AppendLine($"| method | {string.Join(" | ", keeps.Select(KeepHeader))} |");
            text.AppendLine($"| --- |{string.Concat(keeps.Select(_ => " ---: |"))}");
            foreach (var (method, best) in cells)
                text.AppendLine($"| {method} | {string.Join(" | ", keeps.Select(k => CellText(best, k, metrics)))} |");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<TrialRow> rows)
    {
        var metrics = rows.SelectMany(r => r.Outcome?.Metrics.Select(m => m.Key) ?? []).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[] { "trial", "task", "method", "keep", "classifier", "distillation", "seed", "state" }
            .Concat(metrics).Concat(["achieved_keep", "mask_bytes", "steps", "seconds", "tokens_per_second"])));
        foreach (var row in rows)
        {
            var r = row.Outcome;
            string Number(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
            var fields = new[]
            {
                row.Spec.Id, row.Spec.Task, row.Spec.Method, Number(row.Spec.Keep), row.Spec.Classifier,
                row.Spec.Distillation is null ? "off" : "teacher", row.Spec.Seed.ToString(CultureInfo.InvariantCulture), Quote(row.State),
            }.Concat(metrics.Select(m => Number(row.Metric(m))))
             .Concat([Number(r?.AchievedKeepFraction), r?.MaskBytes.ToString(CultureInfo.InvariantCulture) ?? "", r?.Steps.ToString(CultureInfo.InvariantCulture) ?? "",
                 Number(r?.WallSeconds), Number(r?.TokensPerSecond)]);
            text.AppendLine(string.Join(',', fields));
        }
        return text.ToString();
    }

    private static string Quote(string value) => value.Contains(',') || value.Contains('"') ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    private static string KeepHeader(double keep) => keep >= 1 ? "dense (100%)" : $"keep {keep * 100:0.#}%";

    // As the paper prints a cell: every metric of the task, primary first (MNLI acc / mm, QQP acc / F1, SQuAD EM / F1).
    private static string CellText(Dictionary<double, TrialRow> best, double keep, IReadOnlyList<string> metrics) =>
        best.TryGetValue(keep, out var row)
            ? string.Join(" / ", metrics.Select(m => row.Metric(m)?.ToString("F4", CultureInfo.InvariantCulture) ?? "–"))
            : "";

    /// <summary>
    /// Per task: its metrics (the primary one first), the keep fractions (descending) and, per method label, the trial
    /// with the best primary metric at each keep fraction.
    /// </summary>
    internal static IEnumerable<(string Task, IReadOnlyList<string> Metrics, List<double> Keeps, List<(string Method, Dictionary<double, TrialRow> Best)> Cells)> Cells(IReadOnlyList<TrialRow> rows)
    {
        foreach (var task in rows.Where(r => r.PrimaryMetric is not null).GroupBy(r => r.Spec.Task))
        {
            var metrics = task.First().Outcome!.Metrics.Select(m => m.Key).ToList();
            var keeps = task.Select(r => r.Spec.Keep).Distinct().OrderByDescending(k => k).ToList();
            var cells = task.GroupBy(r => r.MethodLabel).OrderBy(g => MethodOrder(g.Key))
                .Select(g => (g.Key, g.GroupBy(r => r.Spec.Keep).ToDictionary(k => k.Key, k => k.MaxBy(r => r.PrimaryMetric!.Value)!)))
                .ToList();
            yield return (task.Key, metrics, keeps, cells);
        }
    }

    private static int MethodOrder(string label) => (label.Split(' ')[0] switch
    {
        "dense" => 0, "magnitude" => 1, "movement" => 2, "smp-l" => 3, "smp-s" => 4, _ => 5,
    }) * 2 + (label.Contains("KD") ? 1 : 0);
}
