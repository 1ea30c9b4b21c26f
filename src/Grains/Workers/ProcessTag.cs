namespace Sweeps.Grains.Workers;

/// <summary>
/// A process named so that a reused process id cannot pass for it: <c>&lt;pid&gt;:&lt;start time&gt;</c>, the start time
/// in clock ticks since boot as /proc/&lt;pid&gt;/stat gives it.
/// </summary>
public static class ProcessTag
{
    public static string OfThisProcess { get; } = Of(Environment.ProcessId) ?? $"{Environment.ProcessId}:0";

    /// <summary>The tag of a live process, or null when there is no such process (or no /proc).</summary>
    public static string? Of(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // The command name (field 2) is in parentheses and may hold spaces; the start time is field 22.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{processId}:{fields[19]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True while the process a tag names is alive (the same process, not a later one with its id).</summary>
    public static bool IsAlive(string tag) =>
        int.TryParse(tag.Split(':')[0], out var processId) && Of(processId) == tag;
}
