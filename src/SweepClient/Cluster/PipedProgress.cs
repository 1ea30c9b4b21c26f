using System.Globalization;
using Spectre.Console;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;

namespace Sweeps.SweepClient.Cluster;

/// <summary>
/// A sweep's progress where standard output is a pipe or a CI log: progress bars cannot redraw there, and Spectre's
/// fallback prints every bar again at each change. Instead, a line when a trial starts an attempt, ends or is queued
/// again with a reason, and every <see cref="SummaryEvery"/> a line of counts; a sweep of more than
/// <see cref="PerTrialLinesUpTo"/> trials prints its failures and the counts only.
/// </summary>
public static class PipedProgress
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan SummaryEvery = TimeSpan.FromMinutes(1);

    public const int PerTrialLinesUpTo = 40;

    public static async Task WatchAsync(ISweepGrain sweep, ClusterReach reach, int trials, CancellationToken cancellation)
    {
        var said = new Dictionary<string, string>(); // trial id → what its last line said of it
        var failuresSaid = new HashSet<string>();
        var lastSummary = DateTime.UtcNow;
        while (!cancellation.IsCancellationRequested)
        {
            var finished = false;
            string? counts = null;
            if (trials <= PerTrialLinesUpTo)
            {
                if (await reach.AskAsync(sweep.GetStatus) is { } status)
                {
                    foreach (var trial in status.Trials) Say(trial, status.Select, said);
                    finished = status.IsFinished;
                    counts = Counts(Enum.GetValues<TrialState>().Select(s => (s, status.Count(s))), status.Trials.Where(t => t.State == TrialState.Running));
                }
            }
            else if (await reach.AskAsync(sweep.GetProgress) is { } progress)
            {
                foreach (var failure in progress.Failures.Where(f => failuresSaid.Add(f.Spec.Id))) Say(failure, MetricSelection.Best, said);
                finished = progress.IsFinished;
                counts = Counts(Enum.GetValues<TrialState>().Select(s => (s, progress.Count(s))), progress.Running);
            }
            if (finished) return;
            if (counts is not null && DateTime.UtcNow - lastSummary >= SummaryEvery)
            {
                AnsiConsole.Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {counts}");
                lastSummary = DateTime.UtcNow;
            }
            await Task.Delay(Refresh, cancellation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>A line for the trial where what there is to say of it changed: a new attempt running, an end, a return to the queue with its reason.</summary>
    private static void Say(TrialStatus trial, MetricSelection select, Dictionary<string, string> said)
    {
        var line = trial.State switch
        {
            // Status is read beside the sweep's turn: a trial whose start is not yet answered has no device to name,
            // and its line waits for the answer rather than printing the attempt twice.
            TrialState.Running when trial.Device is null => null,
            TrialState.Running => $"{trial.Spec.Label} [{trial.Device}] running{(trial.Attempts > 1 ? $" (attempt {trial.Attempts})" : "")}",
            TrialState.Queued when trial.Error is not null => $"{trial.Spec.Label}: queued again ({trial.Error})",
            TrialState.Queued => null,
            _ => $"{trial.Spec.Label}: {trial.State.ToString().ToLowerInvariant()}"
                + (trial.Outcome is { } outcome ? " " + ProgressText.Outcome(outcome, select) : "")
                + (trial.State == TrialState.Failed ? $" ({trial.Error})" : ""),
        };
        if (line is null || said.GetValueOrDefault(trial.Spec.Id) == line) return;
        said[trial.Spec.Id] = line;
        AnsiConsole.Console.WriteLine(line);
    }

    /// <summary>"2 done, 1 running, 6 queued; running: dense seed 3 step 120/192".</summary>
    private static string Counts(IEnumerable<(TrialState State, int Count)> counts, IEnumerable<TrialStatus> running)
    {
        var text = string.Join(", ", counts.Where(c => c.Count > 0).Select(c => $"{c.Count} {c.State.ToString().ToLowerInvariant()}"));
        var steps = running.Take(4).Select(t => t.Progress is { TotalSteps: > 0 } p
            ? string.Create(CultureInfo.InvariantCulture, $"{t.Spec.Label} step {p.Step}/{p.TotalSteps}") : t.Spec.Label).ToList();
        return steps.Count > 0 ? $"{text}; running: {string.Join(", ", steps)}" : text;
    }
}
