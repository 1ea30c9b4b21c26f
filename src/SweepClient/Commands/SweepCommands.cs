using System.CommandLine;
using Spectre.Console;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.SweepClient.Cluster;
using Sweeps.Reports;

namespace Sweeps.SweepClient.Commands;

/// <summary>`sweep status|watch|results|cancel|list`: what a user does with a submitted sweep.</summary>
public static class SweepCommands
{
    internal static readonly Argument<string> SweepId = NotBlank(new Argument<string>("ID") { Description = "The sweep's id (printed by submit, listed by list)" });

    /// <summary>An empty or blank id is refused as the user's mistake before it reaches Orleans, which would refuse it in its own words.</summary>
    private static Argument<T> NotBlank<T>(Argument<T> id) where T : class?
    {
        id.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && string.IsNullOrWhiteSpace(r.Tokens[0].Value)) r.AddError("the sweep ID is empty; `sweep list` shows the sweeps' ids");
        });
        return id;
    }

    public static Command Status()
    {
        var id = NotBlank(new Argument<string?>("ID") { Description = "A sweep's id; without it, every sweep", Arity = ArgumentArity.ZeroOrOne });
        var command = new Command("status", "Show a sweep's trials: state, device, progress, metric, and why a trial failed") { id };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            if (result.GetValue(id) is not { } sweepId) return await PrintList(cluster);
            var progress = await Find(cluster, sweepId);
            // A small sweep's every trial; a larger one's from its summary, which names the trials that need a look.
            PrintSummary(progress);
            if (progress.Trials <= EveryTrialUpTo)
            {
                var status = await FindStatus(cluster, sweepId);
                PrintTrials(status.Trials, status.Select);
            }
            else PrintTrialsToLookAt(progress);
            return 0;
        });
        return command;
    }

    public static Command Watch()
    {
        var command = new Command("watch", "Follow a sweep's progress live (Ctrl-C stops watching; a cluster sweep keeps running)") { SweepId };
        ClusterCommand.SetAction(command, async (result, cluster, cancellation) =>
        {
            var progress = await Find(cluster, result.GetValue(SweepId)!);
            PrintSummary(await SweepWatcher.WatchAsync(cluster.Grains.GetGrain<ISweepGrain>(progress.SweepId), cancellation));
            return 0;
        });
        return command;
    }

    public static Command Results()
    {
        var format = new Option<ResultsFormat>("--format") { Description = "table, markdown, csv or json", DefaultValueFactory = _ => ResultsFormat.Table };
        var trials = new Option<bool>("--trials") { Description = "With csv or json: every trial with its configuration and result, instead of the cells" };
        var top = new Option<int?>("--top")
        {
            Description = "The N best configurations per task and keep fraction, by the mean of the task's primary metric, with their settings (a search's answer)",
        };
        top.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError($"--top must be at least 1, got {r.GetValueOrDefault<int?>()}"); });
        var pareto = new Option<bool>("--pareto")
        {
            Description = "Per task, the configurations no other beats on both dev metric and achieved keep (the trade-off of accuracy against size), with the hypervolume they dominate",
        };
        var command = new Command("results",
            "Print a sweep's results: per task × keep fraction × method/KD, the mean ± std over seeds (n, min, max, collapsed seeds) as a table, Markdown, CSV or JSON")
            { SweepId, format, trials, top, pareto, SelectOption };
        command.Validators.Add(r =>
        {
            var views = new[] { r.GetValue(top) is not null ? "--top" : null, r.GetValue(trials) ? "--trials" : null, r.GetValue(pareto) ? "--pareto" : null }.OfType<string>().ToList();
            if (views.Count > 1) r.AddError($"{string.Join(" and ", views)} each choose what to print: give one of them");
        });
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            var (sweepId, chosen) = (result.GetValue(SweepId)!, result.GetValue(format));
            // Every trial needs the whole status; the cells the sweep serves without its trials.
            if (result.GetValue(trials) && chosen != ResultsFormat.Table)
            {
                PrintResults(Selected(await FindStatus(cluster, sweepId), result), chosen, trials: true);
                return 0;
            }
            var results = await FindResults(cluster, sweepId, result.GetValue(SelectOption));
            if (result.GetValue(top) is { } count) PrintTop(results, chosen, count);
            else if (result.GetValue(pareto)) PrintPareto(results, chosen);
            else PrintResults(results, (await cluster.Grains.GetGrain<ISweepGrain>(sweepId).GetProgress())?.Failures ?? [], chosen);
            return 0;
        });
        return command;
    }

    public static Command Plot()
    {
        var output = new Option<string?>("--output", "-o") { Description = "SVG or PNG file to write (default: <ID>.svg)" };
        var analysis = new Option<bool>("--search")
        {
            Description = "A search's analysis instead: per task, the best so far against configurations finished, and parallel coordinates of the searched settings and the metric",
        };
        var pareto = new Option<bool>("--pareto")
        {
            Description = "The trade-off of accuracy against size instead: per task, each configuration's metric against the keep its masks achieved, the Pareto front and its hypervolume",
        };
        var command = new Command("plot",
            "Plot a sweep's metric against the keep fraction: per task, a line per method (± KD) through each cell's mean over its seeds, with ± std error bars; "
            + "for a search, the metric against each searched setting (SVG or PNG)") { SweepId, output, SelectOption, analysis, pareto };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            if (result.GetValue(analysis) && result.GetValue(pareto)) throw new UserInputException("--search and --pareto each choose what to plot; give one");
            var results = await FindResults(cluster, result.GetValue(SweepId)!, result.GetValue(SelectOption));
            var path = Path.GetFullPath(result.GetValue(output) ?? results.SweepId + ".svg");
            var panels = result.GetValue(analysis) ? SearchFigure.Panels(results)
                : result.GetValue(pareto) ? ParetoPlot.Panels(results.Cells)
                : SweepFigure.Panels(results);
            if (result.GetValue(pareto) && panels.Count == 0)
                throw new UserInputException($"sweep {results.SweepId} has no results with a keep fraction to plot against");
            if (result.GetValue(analysis) && panels.Count == 0)
                throw new UserInputException($"sweep {results.SweepId} has no task searched over a setting ({SearchedSettings.MinimumValues} values or more of one) to analyse");
            FigureFile.Save(panels, path);
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
            var progress = await Find(cluster, result.GetValue(SweepId)!);
            await cluster.Grains.GetGrain<ISweepGrain>(progress.SweepId).Cancel(cluster.Prove(CallerProof.Actions.Cancel(progress.SweepId)));
            AnsiConsole.MarkupLineInterpolated($"sweep [bold]{progress.SweepId}[/] cancelled");
            return 0;
        });
        return command;
    }

    public static Command List()
    {
        var format = new Option<ListFormat>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => ListFormat.Table };
        var command = new Command("list", "List every sweep submitted to the cluster, with its trials' counts") { format };
        ClusterCommand.SetAction(command, (result, cluster, _) => PrintList(cluster, result.GetValue(format)));
        return command;
    }

    /// <summary>The sweep's summary: counts, running trials, first failures (what costs the same for any size of sweep).</summary>
    public static async Task<SweepProgress> Find(ClusterConnection cluster, string sweepId) =>
        await cluster.Grains.GetGrain<ISweepGrain>(sweepId).GetProgress() ?? throw NoSuchSweep(sweepId);

    /// <summary>Every trial of the sweep with its record: for what needs them all (`results --trials`, choosing a trial to export).</summary>
    public static async Task<SweepStatus> FindStatus(ClusterConnection cluster, string sweepId) =>
        await cluster.Grains.GetGrain<ISweepGrain>(sweepId).GetStatus() ?? throw NoSuchSweep(sweepId);

    /// <summary>The sweep's result cells, served without its trials.</summary>
    public static async Task<SweepResults> FindResults(ClusterConnection cluster, string sweepId, MetricSelection? select) =>
        await cluster.Grains.GetGrain<ISweepGrain>(sweepId).GetResults(select) ?? throw NoSuchSweep(sweepId);

    private static UserInputException NoSuchSweep(string sweepId) => new($"no sweep '{sweepId}' in this cluster (`sweep list` shows them)");

    /// <summary>`--select best|final`: which evaluation of each trial the results show; default: the grid's <c>select</c>.</summary>
    public static readonly Option<MetricSelection?> SelectOption = new("--select")
    {
        Description = "best (the best dev evaluation once the keep fraction reached its target, the artefact's) or final (after the last step); default: the grid's select",
    };

    public static SweepStatus Selected(SweepStatus status, ParseResult result) =>
        result.GetValue(SelectOption) is { } select ? status with { Select = select } : status;

    public static void PrintResults(SweepStatus status, ResultsFormat format, bool trials = false)
    {
        if (trials && format != ResultsFormat.Table) Console.Out.Write(ResultsWriter.Render(status, format, trials: true));
        else PrintResults(SweepResults.Of(status), status.Trials, format);
    }

    /// <param name="trials">Trials to name above the table when they failed.</param>
    public static void PrintResults(SweepResults results, IEnumerable<TrialStatus> trials, ResultsFormat format)
    {
        if (format == ResultsFormat.Table)
        {
            foreach (var failed in trials.Select(TrialRow.From).Where(r => r.State.StartsWith("failed", StringComparison.Ordinal)))
                AnsiConsole.MarkupLineInterpolated($"[red]{failed.Spec.Id}[/] {failed.Spec.Label}: {failed.State}");
            ResultsWriter.Write(AnsiConsole.Console, results);
            if (ResultsWriter.Panels(results).Any(p => SearchedSettings.Of(p.Cells).Count > 0))
                AnsiConsole.MarkupLineInterpolated($"a search: `sweep results {results.SweepId} --top 5` ranks its configurations, `sweep plot {results.SweepId}` draws the metric against each searched setting");
        }
        else Console.Out.Write(ResultsWriter.Render(results, format));
    }

    private static void PrintPareto(SweepResults results, ResultsFormat format)
    {
        var groups = ParetoFront.Of(results.Cells);
        if (format == ResultsFormat.Table) ParetoFront.Write(AnsiConsole.Console, groups);
        else Console.Out.Write(ParetoFront.Render(groups, format));
    }

    private static void PrintTop(SweepResults results, ResultsFormat format, int count)
    {
        var groups = TopConfigurations.Of(results.Cells, count);
        if (format == ResultsFormat.Table) TopConfigurations.Write(AnsiConsole.Console, groups);
        else Console.Out.Write(TopConfigurations.Render(groups, format));
    }

    public static void PrintSummary(SweepProgress progress)
    {
        var counts = Enum.GetValues<TrialState>().Where(s => progress.Count(s) > 0).Select(s => $"{progress.Count(s)} {s.ToString().ToLowerInvariant()}")
            .Concat(progress.Collapsed > 0 ? [$"{progress.Collapsed} collapsed to one class"] : []);
        AnsiConsole.MarkupLineInterpolated($"sweep [bold]{progress.SweepId}[/] ({progress.Name}): {string.Join(", ", counts)}");
    }

    /// <summary>Above this many trials, `status` lists only the trials that need a look (running, failed, retried), from the sweep's summary.</summary>
    private const int EveryTrialUpTo = 40;

    /// <summary>A larger sweep's trials that need a look: its running trials, its first failures and retries.</summary>
    private static void PrintTrialsToLookAt(SweepProgress progress)
    {
        var shown = progress.Running.Concat(progress.Failures).Concat(progress.Retrying).Take(200).ToList();
        PrintTrials(shown, progress.Select);
        AnsiConsole.MarkupLineInterpolated($"{shown.Count} of {progress.Trials} trials shown (running, the first {SweepProgress.ListedTrials} failed and the first {SweepProgress.ListedTrials} retried); every trial: `sweep results {progress.SweepId} --format csv --trials`");
    }

    private static void PrintTrials(IReadOnlyList<TrialStatus> shown, MetricSelection select)
    {
        var table = new Table().AddColumn(new TableColumn("trial").NoWrap()).AddColumns("label", "state", "attempts", "device", "progress", $"metric ({select.ToString().ToLowerInvariant()})", "note");
        foreach (var t in shown)
        {
            var progress = t.State == TrialState.Running && t.Progress is { TotalSteps: > 0 } p ? $"{p.Step}/{p.TotalSteps} loss {ProgressText.Loss(p.Loss)}" : "";
            // The intermediate result: the latest dev evaluation of a trial still training.
            if (t.State == TrialState.Running && ProgressText.LatestDev(t) is { } dev) progress += $", dev {dev}";
            var metric = t.Outcome is { } outcome ? ProgressText.Outcome(outcome, select, sayCollapsed: false) : "";
            table.AddRow(Markup.Escape(t.Spec.Id), Markup.Escape(t.Spec.Label), Markup.Escape(ProgressText.State(t, select)), t.Attempts.ToString(),
                Markup.Escape(t.Device ?? ""), Markup.Escape(progress), Markup.Escape(metric), Markup.Escape(Note(t, select)));
        }
        if (shown.Count > 0) AnsiConsole.Write(table);
    }

    /// <summary>
    /// Why the last attempt failed; else, for a trial that got over a bad attempt, what that attempt met; else, for a
    /// collapsed trial, where it collapsed.
    /// </summary>
    private static string Note(TrialStatus trial, MetricSelection select) =>
        trial.Error ?? (trial.LastTrouble is { } attempt ? $"attempt {attempt.Number} {attempt.Ending}"
            : trial.Outcome is { } outcome ? ProgressText.CollapseOnset(outcome, select) ?? "" : "");

    private static async Task<int> PrintList(ClusterConnection cluster, ListFormat format = ListFormat.Table)
    {
        var sweeps = new List<ListedSweep>();
        foreach (var summary in await cluster.Grains.GetGrain<ISweepCatalogGrain>(0).List())
        {
            // The catalog has every sweep's counts but those of sweeps submitted before sweeps reported them: those are asked once.
            var counts = SweepCounts.Of(summary)
                         ?? (await cluster.Grains.GetGrain<ISweepGrain>(summary.SweepId).GetProgress() is { } progress ? SweepCounts.Of(progress) : null);
            sweeps.Add(new ListedSweep(summary, counts));
        }
        if (format != ListFormat.Table) Console.Out.Write(SweepListWriter.Render(sweeps, format));
        else if (sweeps.Count == 0) AnsiConsole.MarkupLine("no sweeps yet");
        else SweepListWriter.Write(AnsiConsole.Console, sweeps);
        return 0;
    }
}
