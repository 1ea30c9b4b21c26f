namespace Sweeps.Pruning.Export;

/// <summary>
/// Where an export is written: everything goes to a hidden temporary folder beside the destination (the same file
/// system, so the final rename is atomic), which becomes the destination only once complete. A failed export leaves
/// nothing, and an existing non-empty folder is replaced only when forced.
/// </summary>
public static class ExportDestination
{
    /// <summary>Refuses a destination that would lose files, before any work is done.</summary>
    public static string Check(string destination, bool force)
    {
        var full = Path.GetFullPath(destination.TrimEnd('/', '\\') is { Length: > 0 } trimmed ? trimmed : destination);
        if (File.Exists(full)) throw new IOException($"{full} is a file, not a folder");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
            throw new IOException($"{full} exists and is not empty (--force replaces it)");
        return full;
    }

    /// <summary>Runs <paramref name="write"/> on a temporary folder, then moves it to <paramref name="destination"/>.</summary>
    public static void Write(string destination, bool force, Action<string> write)
    {
        var full = Check(destination, force);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.exporting-{Guid.NewGuid():N}");
        var replaced = Path.Combine(parent, $".{Path.GetFileName(full)}.replaced-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            write(staging);
            // Checked again: another process may have filled the destination meanwhile.
            Check(full, force);
            if (Directory.Exists(full)) Directory.Move(full, replaced);
            try
            {
                Directory.Move(staging, full);
            }
            catch when (Directory.Exists(replaced) && !Directory.Exists(full))
            {
                Directory.Move(replaced, full); // the old folder back rather than none
                throw;
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            if (Directory.Exists(replaced)) Directory.Delete(replaced, recursive: true);
        }
    }
}
