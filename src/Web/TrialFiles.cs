using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Web;

/// <summary>
/// What the artefact store holds for a trial: its folder's files (checkpoint while it runs; then masks, head and
/// result.json) and its recorded result, from which the page draws the loss curve of a finished trial.
/// </summary>
public sealed record TrialFiles(string Folder, IReadOnlyList<FileInfo> Files, TrialResult? Result)
{
    /// <summary>The trial's folder in the store at <paramref name="artifactRoot"/>; null when the pages were given no store.</summary>
    public static TrialFiles? Read(string? artifactRoot, string trialId)
    {
        if (artifactRoot is null) return null;
        var store = new TrialArtifactStore(artifactRoot);
        var folder = new DirectoryInfo(store.FolderOf(trialId));
        var files = folder.Exists
            ? folder.EnumerateFiles("*", SearchOption.AllDirectories).Where(f => !f.Name.EndsWith(".tmp", StringComparison.Ordinal)).OrderBy(f => f.FullName, StringComparer.Ordinal).ToList()
            : [];
        return new TrialFiles(folder.FullName, files, store.TryGetResult(trialId));
    }

    /// <summary>Loss and keep by step: the running attempt's trace, else the finished result's loss curve.</summary>
    public static IReadOnlyList<TracePoint> TraceOf(TrialStatus trial, TrialResult? result) =>
        trial.State == TrialState.Running && trial.Progress is { Trace.Count: > 0 } progress
            ? progress.Trace
            : result?.LossCurve.Select(p => new TracePoint(p.Step, p.Loss, p.Keep ?? double.NaN)).ToList() ?? [];
}
