using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;
using Sweeps.SweepClient.Results;

namespace Sweeps.SweepClient.Local;

/// <summary>
/// Runs a sweep's trials one after another in this process, on one device: teachers come before their students in
/// the expanded order, finished trials (a result.json under their id) are reused, a failing trial is retried up to the
/// sweep's limit, and a trial interrupted by cancellation resumes from its checkpoint on the next run.
/// </summary>
public sealed class LocalSweepRunner(TrialArtifactStore store, SweepsCache cache, string device)
{
    public async Task<IReadOnlyList<TrialRow>> RunAsync(SweepSpec sweep, Action<TrialSpec, TrialProgress>? report = null,
        Action<TrialRow>? finished = null, CancellationToken cancellation = default)
    {
        var rows = new List<TrialRow>();
        var failed = new HashSet<string>();
        foreach (var trial in sweep.Trials)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = await RunOne(trial, sweep.RetryLimit, failed, report, cancellation);
            if (row.Result is null) failed.Add(trial.Id);
            rows.Add(row);
            finished?.Invoke(row);
        }
        return rows;
    }

    private async Task<TrialRow> RunOne(TrialSpec trial, int retryLimit, HashSet<string> failed, Action<TrialSpec, TrialProgress>? report,
        CancellationToken cancellation)
    {
        if (store.TryGetResult(trial.Id) is { } previous) return new TrialRow(trial, "reused", previous);
        if (trial.Distillation?.TeacherTrialId is { } teacher && failed.Contains(teacher))
            return new TrialRow(trial, $"failed: its teacher {teacher} failed", null);

        var progress = new SynchronousProgress(p => report?.Invoke(trial, p));
        string? lastError = null;
        for (var attempt = 0; attempt <= retryLimit; attempt++)
        {
            try
            {
                var config = TrialConfigFactory.Create(trial, store, device);
                var result = await Task.Run(() => TrialTrainer.RunAsync(config, store.FolderOf(trial.Id), cache, progress, cancellation), cancellation);
                store.SaveResult(trial.Id, result);
                return new TrialRow(trial, "done", result);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lastError = e.Message;
            }
        }
        return new TrialRow(trial, $"failed after {retryLimit + 1} attempts: {lastError}", null);
    }

    private sealed class SynchronousProgress(Action<TrialProgress> report) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => report(value);
    }
}
