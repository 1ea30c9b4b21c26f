using Spectre.Console;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.SweepClient.Cluster;

/// <summary>
/// Live progress of a sweep: a bar per trial (state, device, step, loss, keep fraction, metric when done) and an ETA,
/// refreshed from the sweep grain until every trial is final or the user presses Ctrl-C (which leaves the sweep running).
/// </summary>
public static class SweepWatcher
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    /// <returns>The last status seen.</returns>
    public static async Task<SweepStatus> WatchAsync(ISweepGrain sweep, CancellationToken cancellation)
    {
        var status = await sweep.GetStatus() ?? throw new ArgumentException("no such sweep");
        if (status.IsFinished) return status;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bars = status.Trials.ToDictionary(t => t.Spec.Id, t => context.AddTask(Markup.Escape(t.Spec.Label), autoStart: false, maxValue: 1));
                while (true)
                {
                    foreach (var trial in status.Trials) Update(bars[trial.Spec.Id], trial);
                    if (status.IsFinished || cancellation.IsCancellationRequested) return;
                    try
                    {
                        await Task.Delay(Refresh, cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    status = await sweep.GetStatus() ?? status;
                }
            });
        return status;
    }

    private static void Update(ProgressTask bar, TrialStatus trial)
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
                    bar.Description = Markup.Escape($"{label} [{trial.Device}] {p.Phase} step {p.Step}/{p.TotalSteps} loss {p.Loss:F3} keep {p.KeepFraction:P0}");
                }
                else bar.Description = Markup.Escape($"{label} [{trial.Device}] {trial.Progress?.Phase ?? "starting"}");
                break;
            case TrialState.Queued:
                bar.Description = Markup.Escape($"{label}: queued" + (trial.Error is null ? "" : $" ({trial.Error})"));
                break;
            default:
                var metric = trial.Outcome?.PrimaryMetric is { } m ? $" {m.Key} {m.Value:F4}" : "";
                bar.Description = Markup.Escape($"{label}: {trial.State.ToString().ToLowerInvariant()}{metric}" + (trial.State == TrialState.Failed ? $" ({trial.Error})" : ""));
                if (!bar.IsStarted) bar.StartTask();
                bar.Value = bar.MaxValue;
                bar.StopTask();
                break;
        }
    }
}
