using System.Text.RegularExpressions;
using Sweeps.Grains.Workers;

namespace Sweeps.Testing;

/// <summary>Trial worker processes found as an operator finds them: by their command line (<c>--parent</c>, <c>--trial</c>).</summary>
public static partial class WorkerProcesses
{
    /// <summary>The workers started by the process <paramref name="parentId"/>.</summary>
    public static int[] Of(int parentId) => Find(WorkerLauncher.ParentArgument, value => value.StartsWith($"{parentId}:", StringComparison.Ordinal));

    /// <summary>The workers running <paramref name="trialId"/>.</summary>
    public static int[] Running(string trialId) => Find(WorkerLauncher.TrialArgument, value => value == trialId);

    /// <summary>True once the process has exited (a zombie no one reaps yet counts as exited).</summary>
    public static bool HasExited(int processId)
    {
        try
        {
            return Zombie().IsMatch(File.ReadAllText($"/proc/{processId}/stat"));
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int[] Find(string argument, Func<string, bool> matches)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var processId)) continue;
            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                var at = Array.IndexOf(arguments, argument);
                if (at > 0 && at + 1 < arguments.Length && matches(arguments[at + 1]) && !HasExited(processId)) found.Add(processId);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return [.. found];
    }

    [GeneratedRegex(@"\) [ZX] ")]
    private static partial Regex Zombie();
}
