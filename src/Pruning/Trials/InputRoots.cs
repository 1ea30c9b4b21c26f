using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// The folders a cluster lets trials read: a trial's model folder (built-in model names aside), task data and teacher
/// folder must lie under one of them. Checked by the client before it submits and by each silo before a trial runs,
/// on real paths (every symbolic link resolved), so a link inside a root cannot lead out of it.
/// </summary>
public sealed class InputRoots
{
    private readonly string[] roots;

    public InputRoots(IEnumerable<string> roots) =>
        this.roots = roots.Select(RealPath.Of).Distinct().ToArray();

    /// <summary>Comma-separated folders; empty: no restriction.</summary>
    public static InputRoots Parse(string? text) =>
        new((text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    public bool IsRestricted => roots.Length > 0;

    public override string ToString() => string.Join(", ", roots);

    public bool Contains(string path)
    {
        if (!IsRestricted) return true;
        var real = RealPath.Of(path); // links and ".." resolved, so neither can climb out of a root
        return roots.Any(root => real == root || root == "/" || real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>One line per folder a trial reads that lies outside every root; a built-in model name is no folder.</summary>
    public IEnumerable<string> Violations(string model, string? dataFolder, string? teacherFolder)
    {
        (string What, string? Path)[] folders =
            [("model folder", BuiltInModels.Canonical(model) is null ? model : null), ("data folder", dataFolder), ("teacher folder", teacherFolder)];
        foreach (var (what, path) in folders)
            if (path is not null && !Contains(path))
                yield return $"{what} '{path}' is outside the allowed roots ({this})";
    }
}
