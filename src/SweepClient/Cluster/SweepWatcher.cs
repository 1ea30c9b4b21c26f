using Spectre.Console;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;
using Sweeps.SweepClient.Commands;

namespace Sweeps.SweepClient.Cluster;

/// <summary>
/// Live progress of a sweep: a bar per trial (state, device, step, loss, keep fraction, metric when done) and an ETA,
/// refreshed from the sweep grain until every trial is final or the user presses Ctrl-C (which leaves the sweep running).
/// A cluster that stops answering is asked again at each refresh, for up to <see cref="ClusterReach.GiveUpAfter"/>.
/// Where standard output is not a terminal, <see cref="PipedProgress"/> prints lines instead of bars.
/// </summary>
public static class SweepWatcher
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    /// <summary>Above this many trials, one bar for the sweep and a line per running trial replace the per-trial bars.</summary>
    private const int PerTrialBarsUpTo = 40;

    /// <returns>The sweep's summary when watching ended.</returns>
    public static async Task<SweepProgress> WatchAsync(ISweepGrain sweep, CancellationToken cancellation)
    {
        var progress = await sweep.GetProgress() ?? throw new UserInputException("no such sweep");
        if (progress.IsFinished) return progress;
        var reach = new ClusterReach(progress.SweepId);
        if (Console.IsOutputRedirected) await PipedProgress.WatchAsync(sweep, reach, progress.Trials, cancellation);
        else if (progress.Trials > PerTrialBarsUpTo) await WatchLargeAsync(sweep, reach, progress.Trials, cancellation);
        else await WatchSmallAsync(sweep, reach, cancellation);
        return await reach.AskAsync(sweep.GetProgress) ?? progress;
    }

    /// <summary>A bar per trial, from the whole status (a sweep of at most <see cref="PerTrialBarsUpTo"/> trials).</summary>
    private static async Task WatchSmallAsync(ISweepGrain sweep, ClusterReach reach, CancellationToken cancellation)
    {
        var status = await reach.AskAsync(sweep.GetStatus);
        if (status is null) return;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                while (true)
                {
                    // A search's trials join as it proposes them.
                    foreach (var trial in status.Trials)
                    {
                        if (!bars.TryGetValue(trial.Spec.Id, out var bar))
                            bars[trial.Spec.Id] = bar = context.AddTask(Markup.Escape(trial.Spec.Label), autoStart: false, maxValue: 1);
                        Update(bar, trial, status.Select);
                    }
                    if (status.IsFinished || cancellation.IsCancellationRequested) return;
                    try
                    {
                        await Task.Delay(Refresh, cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    status = await reach.AskAsync(sweep.GetStatus) ?? status;
                }
            });
    }

    /// <summary>One bar for the whole sweep (finished / all) and one per running trial, from the cheap progress view.</summary>
    private static Task WatchLargeAsync(ISweepGrain sweep, ClusterReach reach, int trials, CancellationToken cancellation) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var overall = context.AddTask("sweep", maxValue: trials);
                var lines = new List<ProgressTask>(); // reused: line i shows the i-th running trial
                while (!cancellation.IsCancellationRequested)
                {
                    var progress = await reach.AskAsync(sweep.GetProgress);
                    if (progress is null)
                    {
                        await Task.Delay(Refresh, cancellation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        continue;
                    }
                    overall.Value = progress.Finished;
                    overall.Description = Markup.Escape($"{progress.Name}: {progress.Count(TrialState.Done) + progress.Count(TrialState.Reused)} done, " +
                        $"{progress.Count(TrialState.Running)} running, {progress.Count(TrialState.Queued)} queued, {progress.Count(TrialState.Failed)} failed" +
                        (progress.Count(TrialState.Stopped) > 0 ? $", {progress.Count(TrialState.Stopped)} stopped early" : ""));
                    for (var i = 0; i < progress.Running.Count; i++)
                    {
                        if (i == lines.Count) lines.Add(context.AddTask("", maxValue: 1));
                        Update(lines[i], progress.Running[i], MetricSelection.Best);
                    }
                    for (var i = progress.Running.Count; i < lines.Count; i++)
                    {
                        lines[i].Value = 0;
                        lines[i].Description = "(idle)";
                    }
                    if (progress.IsFinished) return;
                    try
                    {
                        await Task.Delay(Refresh, cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });

    private static void Update(ProgressTask bar, TrialStatus trial, MetricSelection select)
    {
        var label = trial.Spec.Label;
        switch (trial.State)
        {
            case TrialState.Running:
                if (!bar.IsStarted) bar.StartTask();
                if (trial.Progress is { TotalSteps: > 0 } p)
                {
                    bar.MaxValue = p.TotalSteps;
                    bar.Value = p.Step;
                    bar.Description = Markup.Escape($"{label} [{trial.Device}] {p.Phase.ToString().ToLowerInvariant()} step {p.Step}/{p.TotalSteps} loss {ProgressText.Loss(p.Loss)} keep {p.KeepFraction:P0}");
                }
                else bar.Description = Markup.Escape($"{label} [{trial.Device}] {(trial.Progress?.Phase ?? TrialPhase.Starting).ToString().ToLowerInvariant()}");
                break;
            case TrialState.Queued:
                bar.Description = Markup.Escape($"{label}: queued" + (trial.Error is null ? "" : $" ({trial.Error})"));
                break;
            default:
                var metric = trial.Outcome is { } outcome ? " " + ProgressText.Outcome(outcome, select) : "";
                bar.Description = Markup.Escape($"{label}: {trial.State.ToString().ToLowerInvariant()}{metric}" + (trial.State == TrialState.Failed ? $" ({trial.Error})" : ""));
                if (!bar.IsStarted) bar.StartTask();
                bar.Value = bar.MaxValue;
                bar.StopTask();
                break;
        }
    }
}
