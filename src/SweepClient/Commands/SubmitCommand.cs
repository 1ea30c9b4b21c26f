using System.CommandLine;
using Spectre.Console;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning;
using Sweeps.Pruning.Devices;
using Sweeps.SweepClient.Grids;
using Sweeps.SweepClient.Local;
using Sweeps.SweepClient.Results;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// `sweep submit FILE`: validates and expands a grid, then runs it (in this process, trial after trial) and prints the
/// paper-style results table. `--dry-run` lists the expanded trials and what each needs without running anything.
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The grid.yaml to run" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the expanded trials and their device needs; run nothing" };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artefact store (default: <cache>/artifacts); finished trials there are reused" };
        var maxTrials = new Option<int>("--max-trials") { Description = "Refuse grids that expand to more trials", DefaultValueFactory = _ => 10_000 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var format = new Option<ResultsFormat>("--format") { Description = "table, markdown, csv or json", DefaultValueFactory = _ => ResultsFormat.Table };

        var command = new Command("submit", "Validate, expand and run a grid; prints the results table") { file, dryRun, artifacts, maxTrials, device, threads, format };
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            SweepSpec sweep;
            try
            {
                sweep = GridFile.Load(result.GetValue(file)!, new GridLimits(MaxTrials: result.GetValue(maxTrials)));
            }
            catch (GridValidationException e)
            {
                foreach (var error in e.Errors) AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {error}");
                AnsiConsole.Console.MarkupLineInterpolated($"{e.Errors.Count} problem(s); nothing was submitted.");
                return UserErrors.ExitCode;
            }

            if (result.GetValue(dryRun))
            {
                PrintPlan(sweep);
                return 0;
            }

            TorchSharp.torch.set_num_threads(Math.Max(1, result.GetValue(threads)));
            var deviceName = result.GetValue(device)!;
            TorchDevices.Parse(deviceName);
            var cache = SweepsCache.Default();
            var store = new TrialArtifactStore(result.GetValue(artifacts) ?? Path.Combine(cache.Root, "artifacts"));
            var runner = new LocalSweepRunner(store, cache, deviceName);
            AnsiConsole.MarkupLineInterpolated($"sweep [bold]{sweep.Name}[/]: {sweep.Trials.Count} trials, artefacts in {store.Root}");

            IReadOnlyList<TrialRow> rows = [];
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var bars = sweep.Trials.ToDictionary(t => t.Id, t => context.AddTask(Markup.Escape(t.Label), autoStart: false));
                    rows = await runner.RunAsync(sweep,
                        (trial, p) =>
                        {
                            var bar = bars[trial.Id];
                            if (!bar.IsStarted) bar.StartTask();
                            if (p.TotalSteps > 0)
                            {
                                bar.MaxValue = p.TotalSteps;
                                bar.Value = p.Step;
                            }
                            bar.Description = Markup.Escape($"{trial.Label} [{deviceName}] {p.Phase} loss {p.Loss:F3} keep {p.KeepFraction:P0}");
                        },
                        row =>
                        {
                            var bar = bars[row.Spec.Id];
                            var metric = row.Result?.DevMetrics.FirstOrDefault();
                            bar.Description = Markup.Escape($"{row.Spec.Label}: {row.State}" + (metric is { Key: { } k } m ? $" {k} {m.Value:F4}" : ""));
                            bar.Value = bar.MaxValue;
                            bar.StopTask();
                        },
                        cancellation);
                });

            foreach (var failed in rows.Where(r => r.Result is null))
                AnsiConsole.MarkupLineInterpolated($"[red]{failed.Spec.Id}[/] {failed.Spec.Label}: {failed.State}");
            var chosen = result.GetValue(format);
            if (chosen == ResultsFormat.Table) ResultsWriter.Write(AnsiConsole.Console, rows);
            else Console.Out.Write(ResultsWriter.Render(rows, chosen));
            return rows.All(r => r.Result is not null) ? 0 : 1;
        }));
        return command;
    }

    private static void PrintPlan(SweepSpec sweep)
    {
        var table = new Table().Title($"{sweep.Name}: {sweep.Trials.Count} trials").AddColumns("trial", "task", "method", "keep", "classifier", "KD", "seed", "pool", "devices");
        foreach (var t in sweep.Trials)
            table.AddRow(t.Id, t.Task, t.Method, t.Keep.ToString("0.###"), t.Classifier,
                t.Distillation is null ? "off" : t.Distillation.TeacherTrialId is { } id ? $"teacher {id}" : "teacher folder",
                t.Seed.ToString(), t.Pool, sweep.Resources.DevicesPerTrial.ToString());
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"max concurrent trials: {(sweep.MaxConcurrentTrials == 0 ? "no limit" : sweep.MaxConcurrentTrials)}, retries: {sweep.RetryLimit}. Nothing was run (--dry-run).");
    }
}
