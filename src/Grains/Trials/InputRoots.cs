using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Checkpoints;

namespace Sweeps.Grains.Trials;

/// <summary>
/// The folders a cluster lets trials read: a trial's model folder (built-in model names aside), task data and teacher
/// folder must lie under one of them. Checked by the client before it submits and by each silo before a trial runs.
/// </summary>
public sealed class InputRoots
{
    private readonly string[] roots;

    public InputRoots(IEnumerable<string> roots) =>
        this.roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).Distinct().ToArray();

    /// <summary>Comma-separated folders; empty: no restriction.</summary>
    public static InputRoots Parse(string? text) =>
        new((text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    public bool IsRestricted => roots.Length > 0;

    public override string ToString() => string.Join(", ", roots);

    public bool Contains(string path)
    {
        if (!IsRestricted) return true;
        var full = Path.GetFullPath(path); // resolves "..", so a path cannot climb out of a root
        return roots.Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>One line per folder of <paramref name="trial"/> that lies outside every root.</summary>
    public IEnumerable<string> Violations(TrialSpec trial)
    {
        foreach (var (what, path) in FoldersOf(trial))
            if (!Contains(path))
                yield return $"{what} '{path}' is outside the allowed roots ({this})";
    }

    private static IEnumerable<(string What, string Path)> FoldersOf(TrialSpec trial)
    {
        if (!BuiltInModels.Names.Contains(trial.Model, StringComparer.OrdinalIgnoreCase)) yield return ("model folder", trial.Model);
        if (trial.Data is not null) yield return ("data folder", trial.Data);
        if (trial.Distillation?.TeacherFolder is { } teacher) yield return ("teacher folder", teacher);
    }
}
