namespace Sweeps.Pruning.Tasks;

/// <summary>Resolves a task name (and, for GLUE tasks, the user's data folder) to a loaded <see cref="TextTask"/>.</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<string> Names { get; } = [SpamAssassinTask.Name, .. GlueFormats.All.Select(f => f.Name)];

    public static async Task<TextTask> LoadAsync(string name, string? dataFolder, SweepsCache cache,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        if (string.Equals(name, SpamAssassinTask.Name, StringComparison.OrdinalIgnoreCase))
            return dataFolder is null
                ? await SpamAssassinTask.LoadAsync(cache, progress, cancellation)
                : TsvTaskReader.Read(SpamAssassinTask.Format, dataFolder);
        var format = GlueFormats.Find(name)
            ?? throw new ArgumentException($"unknown task '{name}', expected one of: {string.Join(", ", Names)}", nameof(name));
        if (dataFolder is null)
            throw new ArgumentException($"task '{format.Name}' needs a data folder (the GLUE TSV files: {format.TrainFile}, {string.Join(", ", format.DevFiles.Values)})", nameof(dataFolder));
        return TsvTaskReader.Read(format, dataFolder);
    }
}
