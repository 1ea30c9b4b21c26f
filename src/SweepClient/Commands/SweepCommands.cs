using System.CommandLine;
using Spectre.Console;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.SweepClient.Cluster;
using Sweeps.SweepClient.Results;

namespace Sweeps.SweepClient.Commands;

/// <summary>`sweep status|watch|results|cancel|list`: what a user does with a submitted sweep.</summary>
public static class SweepCommands
{
    private static readonly Argument<string> SweepId = new("ID") { Description = "The sweep's id (printed by submit, listed by list)" };

    public static Command Status()
    {
        var id = new Argument<string?>("ID") { Description = "A sweep's id; without it, every sweep", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show a sweep's trials: state, device, progress, metric, and why a trial failed") { id };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            if (result.GetValue(id) is not { } sweepId) return await PrintList(cluster);
            var status = await Find(cluster, sweepId);
            PrintStatus(status);
            return 0;
        });
        return command;
    }

    public static Command Watch()
    {
        var command = new Command("watch", "Follow a sweep's progress live (Ctrl-C stops watching; a cluster sweep keeps running)") { SweepId };
        ClusterCommand.SetAction(command, async (result, cluster, cancellation) =>
        {
            var status = await Find(cluster, result.GetValue(SweepId)!);
            status = await SweepWatcher.WatchAsync(cluster.Grains.GetGrain<ISweepGrain>(status.SweepId), cancellation);
            PrintSummary(status);
            return 0;
        });
        return command;
    }

    public static Command Results()
    {
        var format = new Option<ResultsFormat>("--format") { Description = "table, markdown, csv or json", DefaultValueFactory = _ => ResultsFormat.Table };
        var command = new Command("results", "Print a sweep's results: the paper-style table (task × keep fraction × method/KD), or every trial as CSV/JSON") { SweepId, format };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            var status = await Find(cluster, result.GetValue(SweepId)!);
            PrintResults(status, result.GetValue(format));
            return 0;
        });
        return command;
    }

    public static Command Plot()
    {
        var output = new Option<string?>("--output", "-o") { Description = "SVG file to write (default: <ID>.svg)" };
        var command = new Command("plot", "Plot a sweep's metric against the keep fraction, one line per method (± KD), per task (SVG)") { SweepId, output };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            var status = await Find(cluster, result.GetValue(SweepId)!);
            var path = Path.GetFullPath(result.GetValue(output) ?? status.SweepId + ".svg");
            if (!path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--output {path}: only SVG is written; name a .svg file");
            await File.WriteAllTextAsync(path, MetricPlot.Svg(status.Trials.Select(TrialRow.From).ToList()));
            AnsiConsole.MarkupLineInterpolated($"wrote {path}");
            return 0;
        });
        return command;
    }

    public static Command Cancel()
    {
        var command = new Command("cancel", "Cancel a sweep: running trials checkpoint and free their devices, queued trials never start") { SweepId };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            var status = await Find(cluster, result.GetValue(SweepId)!);
            await cluster.Grains.GetGrain<ISweepGrain>(status.SweepId).Cancel();
            AnsiConsole.MarkupLineInterpolated($"sweep [bold]{status.SweepId}[/] cancelled");
            return 0;
        });
        return command;
    }

    public static Command List()
    {
        var command = new Command("list", "List every sweep submitted to the cluster");
        ClusterCommand.SetAction(command, (_, cluster, _) => PrintList(cluster));
        return command;
    }

    public static async Task<SweepStatus> Find(ClusterConnection cluster, string sweepId) =>
        await cluster.Grains.GetGrain<ISweepGrain>(sweepId).GetStatus()
        ?? throw new ArgumentException($"no sweep '{sweepId}' in this cluster (`sweep list` shows them)");

    public static void PrintResults(SweepStatus status, ResultsFormat format)
    {
        var rows = status.Trials.Select(TrialRow.From).ToList();
        if (format == ResultsFormat.Table)
        {
            foreach (var failed in rows.Where(r => r.State.StartsWith("failed", StringComparison.Ordinal)))
                AnsiConsole.MarkupLineInterpolated($"[red]{failed.Spec.Id}[/] {failed.Spec.Label}: {failed.State}");
            ResultsWriter.Write(AnsiConsole.Console, rows);
        }
        else Console.Out.Write(ResultsWriter.Render(rows, format));
    }

    public static void PrintSummary(SweepStatus status)
    {
        var counts = Enum.GetValues<TrialState>().Where(s => status.Count(s) > 0).Select(s => $"{status.Count(s)} {s.ToString().ToLowerInvariant()}");
        AnsiConsole.MarkupLineInterpolated($"sweep [bold]{status.SweepId}[/] ({status.Name}): {string.Join(", ", counts)}");
    }

    /// <summary>Above this many trials, `status` lists only the trials that need a look (running, failed, retried).</summary>
    private const int EveryTrialUpTo = 40;

    private static void PrintStatus(SweepStatus status)
    {
        PrintSummary(status);
        var shown = status.Trials.Count <= EveryTrialUpTo
            ? status.Trials
            : status.Trials.Where(t => t.State is TrialState.Running or TrialState.Failed || t.Error is not null).Take(200).ToList();
        var table = new Table().AddColumn(new TableColumn("trial").NoWrap()).AddColumns("label", "state", "attempts", "device", "progress", "metric", "note");
        foreach (var t in shown)
        {
            var progress = t.State == TrialState.Running && t.Progress is { TotalSteps: > 0 } p ? $"{p.Step}/{p.TotalSteps} loss {p.Loss:F3}" : "";
            var metric = t.Outcome?.PrimaryMetric is { } m ? $"{m.Key} {m.Value:F4}" : "";
            table.AddRow(Markup.Escape(t.Spec.Id), Markup.Escape(t.Spec.Label), t.State.ToString().ToLowerInvariant(), t.Attempts.ToString(),
                Markup.Escape(t.Device ?? ""), Markup.Escape(progress), Markup.Escape(metric), Markup.Escape(t.Error ?? ""));
        }
        if (shown.Count > 0) AnsiConsole.Write(table);
        if (shown.Count < status.Trials.Count)
            AnsiConsole.MarkupLineInterpolated($"{shown.Count} of {status.Trials.Count} trials shown (running, failed or retried); every trial: `sweep results {status.SweepId} --format csv`");
    }

    private static async Task<int> PrintList(ClusterConnection cluster)
    {
        var sweeps = await cluster.Grains.GetGrain<ISweepCatalogGrain>(0).List();
        if (sweeps.Count == 0)
        {
            AnsiConsole.MarkupLine("no sweeps yet");
            return 0;
        }
        var table = new Table().AddColumn(new TableColumn("sweep").NoWrap()).AddColumns("name", "submitted", "trials", "done", "running", "queued", "failed");
        foreach (var s in sweeps)
        {
            var status = await cluster.Grains.GetGrain<ISweepGrain>(s.SweepId).GetStatus();
            table.AddRow(Markup.Escape(s.SweepId), Markup.Escape(s.Name), s.SubmittedAt.ToString("u"), s.Trials.ToString(),
                (status?.Count(TrialState.Done) + status?.Count(TrialState.Reused)).ToString() ?? "", status?.Count(TrialState.Running).ToString() ?? "",
                status?.Count(TrialState.Queued).ToString() ?? "", status?.Count(TrialState.Failed).ToString() ?? "");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
