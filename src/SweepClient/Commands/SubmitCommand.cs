using System.CommandLine;
using Spectre.Console;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Trials;
using Sweeps.SweepClient.Cluster;
using Sweeps.SweepClient.Grids;
using Sweeps.Reports;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// `sweep submit FILE`: validates and expands a grid, submits it to the cluster and (embedded, or with --watch) follows
/// it live, then prints the paper-style results table. `--dry-run` lists the expanded trials and what each needs
/// without starting anything. Submitting the same grid again finds the same sweep; finished trials are reused.
/// </summary>
public static class SubmitCommand
{
    private const int MaxErrorsShown = 50;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The grid.yaml to run" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the expanded trials and their device needs; run nothing" };
        var watch = new Option<bool>("--watch") { Description = "Follow progress live (always on for the embedded cluster, which runs while this command does)" };
        var maxTrials = new Option<int>("--max-trials") { Description = "Refuse grids that expand to more trials", DefaultValueFactory = _ => 10_000 };
        ClusterSettings.AtLeastOne(maxTrials);
        var roots = new Option<string?>("--roots")
        {
            Description = "Against a cluster: comma-separated folders the grid's models, data and teachers must lie in, e.g. /inputs (default: $SWEEPS_ROOTS; none: any)",
        };
        var format = new Option<ResultsFormat>("--format") { Description = "table, markdown, csv or json", DefaultValueFactory = _ => ResultsFormat.Table };

        var trials = new Option<bool>("--trials") { Description = "With csv or json: every trial with its configuration and result, instead of the cells" };
        var ui = new Option<bool>("--ui") { Description = "Serve the sweep's web pages on 127.0.0.1 (--ui-port) while it runs, and after it ends until Ctrl-C" };
        var command = new Command("submit", "Validate, expand and submit a grid; follows it and prints the results table")
            { file, dryRun, watch, maxTrials, roots, format, trials, ui, UiCommand.PortOption };
        ClusterSettings.AddTo(command);
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            var settings = ClusterSettings.From(result);
            SweepSpec sweep;
            try
            {
                // Folders are checked and fingerprinted where the trials will read them: here for the embedded cluster
                // (a dry run too); a cluster's silos read their own paths (a shared volume), so its grid is fingerprinted
                // only when every folder it names is visible here as well, and each silo checks the fingerprint again.
                var limits = new GridLimits(MaxTrials: result.GetValue(maxTrials), CheckPaths: settings.Embedded);
                sweep = GridFile.Load(result.GetValue(file)!, limits);
                if (!settings.Embedded && sweep.SubmittedTrials.All(FoldersVisibleHere))
                    sweep = GridFile.Load(result.GetValue(file)!, limits with { CheckPaths = true });
            }
            catch (GridValidationException e)
            {
                // A file of a million bad values must not print a million lines: the first ones say what is wrong.
                foreach (var error in e.Errors.Take(MaxErrorsShown)) AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {error}");
                var hidden = e.Errors.Count - MaxErrorsShown;
                AnsiConsole.Console.MarkupLineInterpolated($"{e.Errors.Count} problem(s){(hidden > 0 ? $" ({hidden:N0} not shown)" : "")}; nothing was submitted.");
                return UserErrors.ExitCode;
            }
            var allowed = InputRoots.Parse(result.GetValue(roots) ?? Environment.GetEnvironmentVariable("SWEEPS_ROOTS"));
            var outside = settings.Embedded ? [] : sweep.SubmittedTrials.SelectMany(t => allowed.Violations(t.Model, t.Data, t.Distillation?.TeacherFolder)).Distinct().ToList();
            if (outside.Count > 0)
            {
                foreach (var problem in outside) AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {result.GetValue(file)}: {problem}");
                AnsiConsole.Console.MarkupLineInterpolated($"{outside.Count} problem(s); nothing was submitted.");
                return UserErrors.ExitCode;
            }
            if (result.GetValue(dryRun))
            {
                PrintPlan(sweep);
                return 0;
            }

            await using var cluster = await ClusterConnection.OpenAsync(settings, cancellation);
            var grain = cluster.Grains.GetGrain<ISweepGrain>(SweepIds.Of(sweep));
            var submitted = await grain.Submit(sweep, cluster.Prove(CallerProof.Actions.Submit(grain.GetPrimaryKeyString())));
            var where = settings.Embedded
                ? $", embedded cluster, artefacts in {settings.ArtifactRoot}, warnings and errors in {Path.Combine(settings.StateFolder, ClusterConnection.LogFileName)}"
                : "";
            AnsiConsole.MarkupLineInterpolated($"sweep [bold]{submitted.SweepId}[/]: {submitted.Trials} trials, {submitted.Count(TrialState.Reused)} reused{where}");
            await using var pages = result.GetValue(ui) ? await UiCommand.StartAsync(cluster, settings, result.GetValue(UiCommand.PortOption), cancellation) : null;
            if (pages is not null) AnsiConsole.MarkupLineInterpolated($"its pages: [link]{new Uri(pages.Address, $"/sweeps/{submitted.SweepId}")}[/]");
            if (!settings.Embedded && !result.GetValue(watch) && pages is null)
            {
                AnsiConsole.MarkupLineInterpolated($"follow it with `sweep watch {submitted.SweepId}`, results with `sweep results {submitted.SweepId}`");
                return 0;
            }

            var progress = await SweepWatcher.WatchAsync(grain, cancellation);
            if (!progress.IsFinished)
            {
                var next = settings.Embedded ? $"running trials checkpoint now and resume on the next `sweep watch {progress.SweepId}`" : "the sweep keeps running";
                AnsiConsole.MarkupLineInterpolated($"stopped watching; {next}");
                return 130;
            }
            // Every trial needs the whole status; the table, the cells the sweep keeps.
            if (result.GetValue(trials) && result.GetValue(format) != ResultsFormat.Table)
                SweepCommands.PrintResults(await SweepCommands.FindStatus(cluster, progress.SweepId), result.GetValue(format), trials: true);
            else SweepCommands.PrintResults(await SweepCommands.FindResults(cluster, progress.SweepId, null), progress.Failures, result.GetValue(format));
            if (pages is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"the sweep has ended; its pages stay at [link]{new Uri(pages.Address, $"/sweeps/{progress.SweepId}")}[/] until Ctrl-C");
                await UiCommand.WaitForStop(cancellation);
            }
            return progress.Count(TrialState.Failed) + progress.Count(TrialState.Cancelled) == 0 ? 0 : 1;
        }));
        return command;
    }

    private static bool FoldersVisibleHere(TrialSpec trial) =>
        (BuiltInModels.Canonical(trial.Model) is not null || InputKinds.Of(trial.Model) == InputKind.Folder)
        && (trial.Data is null || InputKinds.Of(trial.Data) == InputKind.Folder)
        && (trial.Distillation?.TeacherFolder is not { } teacher || InputKinds.Of(teacher) == InputKind.Folder);

    private static void PrintPlan(SweepSpec sweep)
    {
        var trials = sweep.SubmittedTrials;
        var title = sweep.Search is { } search
            ? $"{sweep.Name}: {search.Method} proposes {search.Samples} points as slots free, each of these {trials.Count} trials with its values ({sweep.PlannedTrials} trials)"
            : $"{sweep.Name}: {trials.Count} trials";
        var table = new Table().Title(title).AddColumn(new TableColumn("trial").NoWrap())
            .AddColumns("task", "method", "keep", "classifier", "precision").AddColumn(new TableColumn("KD").NoWrap()).AddColumn("seed");
        // Settings that tell trials apart beyond these columns (a search's samples, a grid's training axes).
        var settings = ResultCells.SettingsOf(trials);
        var showSettings = settings.Values.Any(s => s.Length > 0);
        if (showSettings) table.AddColumn("settings");
        foreach (var t in trials)
        {
            string[] cells = [t.Id, t.Task, t.Method, t.Keep.ToString("0.###"), t.Classifier, t.PrecisionName,
                t.Distillation is null ? "off" : t.Distillation.TeacherTrialId is { } id ? $"from {id[..8]}" : "from folder",
                t.Seed.ToString()];
            table.AddRow(showSettings ? [.. cells.Select(Markup.Escape), Markup.Escape(settings[t.Id])] : cells.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
        if (sweep.Search is { } plan)
        {
            // A point's trials have placeholder ids until it is proposed; what is searched is the distributions.
            foreach (var setting in plan.Settings)
                AnsiConsole.MarkupLineInterpolated($"  {setting.Key}: {setting.Kind} {(setting.Kind == "choice" ? string.Join(", ", setting.Choices) : $"[{setting.Low}, {setting.High}]")}");
            AnsiConsole.MarkupLineInterpolated($"{plan.Method}: {plan.Startup} random points first, then each point from the results so far (seed {plan.Seed}); trial ids above are a placeholder point's");
        }
        var memory = sweep.Resources.MemoryBytes is { } bytes ? $", memory capped at {MemorySize.Format(bytes)}" : ", memory capped by each silo's default";
        AnsiConsole.MarkupLineInterpolated($"each trial asks pool '{sweep.Resources.Pool}' for {sweep.Resources.DevicesPerTrial} device(s){memory}");
        AnsiConsole.MarkupLineInterpolated($"sweep id {SweepIds.Of(sweep)}");
        AnsiConsole.MarkupLineInterpolated($"max concurrent trials: {(sweep.MaxConcurrentTrials == 0 ? "no limit" : sweep.MaxConcurrentTrials)}, retries: {sweep.RetryLimit}. Nothing was run (--dry-run).");
    }
}
