namespace Sweeps.Pruning.Inputs;

/// <summary>
/// A path with every symbolic link resolved, "." and ".." applied after the link before them (as the kernel does),
/// and no trailing separator: what allowed-root checks and trial identities compare, so a link inside a root cannot
/// lead out of it and two spellings of one folder are one folder. Components that do not exist are kept as written.
/// </summary>
public static class RealPath
{
    /// <summary>Linux's own limit on links followed while resolving one path (ELOOP past it).</summary>
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var links = 0;
        return Resolve(Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path), ref links);
    }

    private static string Resolve(string absolute, ref int links)
    {
        var current = "/";
        foreach (var part in absolute.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = Path.Join(current, part);
            var target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new InputFileException(absolute, $"more than {MaxLinks} symbolic links to follow (a loop?)");
            current = Resolve(Path.IsPathRooted(target) ? target : Path.Join(current, target), ref links);
        }
        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null; // a component that is not there (or not a link) is kept as written
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
