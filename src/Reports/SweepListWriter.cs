using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>A line of `sweep list`: the catalog's entry and the sweep's trial counts (null where the sweep has no state).</summary>
public sealed record ListedSweep(SweepSummary Summary, IReadOnlyList<int>? Counts);

/// <summary>
/// Prints `sweep list`. The table shows the counts that are not zero as one phrase ("9 trials: 6 done, 2 running"), so
/// it stays a few columns wide; where even that is wider than the console, each sweep becomes a short block of lines
/// instead of a table whose cells would be split. CSV and JSON give every count its own field.
/// </summary>
public static class SweepListWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(IAnsiConsole console, IReadOnlyList<ListedSweep> sweeps)
    {
        var owned = sweeps.Any(s => s.Summary.Owner.Length > 0);
        string[] headers = owned ? ["sweep", "name", "owner", "submitted (UTC)", "trials"] : ["sweep", "name", "submitted (UTC)", "trials"];
        var rows = sweeps.Select(s => (string[])(owned
            ? [s.Summary.SweepId, s.Summary.Name, SweepOwners.Shown(s.Summary.Owner), Submitted(s.Summary), Trials(s)]
            : [s.Summary.SweepId, s.Summary.Name, Submitted(s.Summary), Trials(s)])).ToList();
        if (TableWidth(headers, rows) <= console.Profile.Width)
        {
            var table = new Table().AddColumns(headers.Select(h => new TableColumn(h).NoWrap()).ToArray());
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            console.Write(table);
            return;
        }
        foreach (var (s, i) in sweeps.Select((s, i) => (s, i)))
        {
            if (i > 0) console.WriteLine();
            console.MarkupLineInterpolated($"[bold]{s.Summary.SweepId}[/]");
            console.WriteLine($"  name       {s.Summary.Name}");
            console.WriteLine($"  submitted  {Submitted(s.Summary)} UTC{(owned ? $" by {SweepOwners.Shown(s.Summary.Owner)}" : "")}");
            console.WriteLine($"  trials     {Trials(s)}");
        }
    }

    public static string Render(IReadOnlyList<ListedSweep> sweeps, ListFormat format) => format switch
    {
        ListFormat.Csv => Csv(sweeps),
        ListFormat.Json => Json(sweeps),
        _ => throw new ArgumentOutOfRangeException(nameof(format), "tables are written with Write"),
    };

    /// <summary>The trial count, then every count that is not zero: "9 trials: 6 done, 2 running, 1 failed".</summary>
    public static string Trials(ListedSweep sweep)
    {
        var total = $"{sweep.Summary.Trials} {(sweep.Summary.Trials == 1 ? "trial" : "trials")}";
        if (sweep.Counts is null) return total + " (no state)";
        var counts = SweepCounts.Names.Zip(sweep.Counts).Where(c => c.Second > 0).Select(c => $"{c.Second} {c.First}").ToList();
        return counts.Count == 0 ? total : $"{total}: {string.Join(", ", counts)}";
    }

    private static string Submitted(SweepSummary sweep) => sweep.SubmittedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The width of a table with square borders around these cells: each column's widest cell, plus a bar and a space either side.</summary>
    private static int TableWidth(string[] headers, IReadOnlyList<string[]> rows) =>
        headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max() + 3).Sum() + 1;

    private static string Csv(IReadOnlyList<ListedSweep> sweeps)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[] { "sweep", "name", "owner", "submitted", "trials" }.Concat(SweepCounts.Names)));
        foreach (var s in sweeps)
            text.AppendLine(string.Join(',', new[]
            {
                ResultsWriter.Quote(s.Summary.SweepId), ResultsWriter.Quote(s.Summary.Name), ResultsWriter.Quote(s.Summary.Owner),
                s.Summary.SubmittedAt.ToString("O", CultureInfo.InvariantCulture), s.Summary.Trials.ToString(CultureInfo.InvariantCulture),
            }.Concat(s.Counts?.Select(c => c.ToString(CultureInfo.InvariantCulture)) ?? SweepCounts.Names.Select(_ => ""))));
        return text.ToString();
    }

    private static string Json(IReadOnlyList<ListedSweep> sweeps) => JsonSerializer.Serialize(sweeps.Select(s => new
    {
        sweep = s.Summary.SweepId,
        name = s.Summary.Name,
        owner = s.Summary.Owner,
        submitted = s.Summary.SubmittedAt,
        trials = s.Summary.Trials,
        counts = s.Counts is null ? null : SweepCounts.Names.Zip(s.Counts).ToDictionary(c => c.First, c => c.Second),
    }), Indented) + Environment.NewLine;
}
