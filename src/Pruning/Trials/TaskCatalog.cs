using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;

namespace Sweeps.Pruning.Trials;

/// <summary>Resolves a task name (and, for GLUE tasks and SQuAD, the user's data folder) to a loaded task.</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<string> Names { get; } = [SpamAssassinTask.Name, .. GlueFormats.All.Select(f => f.Name), SquadTask.TaskName];

    /// <summary>
    /// The dev metrics a task reports, by the names its results carry (a task with several dev splits, MNLI, names
    /// each split's: <c>dev_matched.accuracy</c>); null for a task this catalog does not know.
    /// </summary>
    public static IReadOnlyList<string>? MetricNames(string name)
    {
        if (string.Equals(name, SquadTask.TaskName, StringComparison.OrdinalIgnoreCase)) return SquadTask.MetricNames;
        var format = string.Equals(name, SpamAssassinTask.Name, StringComparison.OrdinalIgnoreCase) ? SpamAssassinTask.Format : GlueFormats.Find(name);
        if (format is null) return null;
        return [.. format.DevFiles.Keys.SelectMany(split => format.Metrics.Select(m => TaskMetrics.KeyOf(split, TaskMetrics.NameOf(m), format.DevFiles.Count)))];
    }

    /// <summary>Whether <paramref name="name"/> is a task whose data the user brings (every task but the built-in one).</summary>
    public static bool NeedsDataFolder(string name) => !string.Equals(name, SpamAssassinTask.Name, StringComparison.OrdinalIgnoreCase);

    public static async Task<ITrialTask> LoadAsync(string name, string? dataFolder, SweepsCache cache,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        if (string.Equals(name, SquadTask.TaskName, StringComparison.OrdinalIgnoreCase))
            return dataFolder is null
                ? throw new ArgumentException($"task 'squad' needs a data folder (the SQuAD v1.1 files: {SquadTask.TrainFileName}, {SquadTask.DevFileName})", nameof(dataFolder))
                : SquadTask.Read(dataFolder);
        return await LoadTextAsync(name, dataFolder, cache, progress, cancellation);
    }

    /// <summary>Loads a labelled text task; SQuAD is not one.</summary>
    public static async Task<TextTask> LoadTextAsync(string name, string? dataFolder, SweepsCache cache,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        if (string.Equals(name, SpamAssassinTask.Name, StringComparison.OrdinalIgnoreCase))
            return dataFolder is null
                ? await SpamAssassinTask.LoadAsync(cache, progress, cancellation)
                : TsvTaskReader.Read(SpamAssassinTask.Format, dataFolder);
        var format = GlueFormats.Find(name)
            ?? throw new ArgumentException($"unknown text task '{name}', expected one of: {string.Join(", ", Names.Where(n => n != SquadTask.TaskName))}", nameof(name));
        if (dataFolder is null)
            throw new ArgumentException($"task '{format.Name}' needs a data folder (the GLUE TSV files: {format.TrainFile}, {string.Join(", ", format.DevFiles.Values)})", nameof(dataFolder));
        return TsvTaskReader.Read(format, dataFolder);
    }
}
