namespace Sweeps.Worker;

/// <summary>
/// An error as one line for a trial's record: its type and message, without the C++ stack libtorch appends
/// (<c>frame #0: …</c>, <c>Exception raised from …</c>), which says nothing to someone reading why a trial failed.
/// </summary>
public static class ErrorSummary
{
    private static readonly string[] NativeStackStarts = ["\nframe #", "\nException raised from "];

    public static string Of(Exception error)
    {
        var message = error.Message;
        foreach (var start in NativeStackStarts)
            if (message.IndexOf(start, StringComparison.Ordinal) is var at and >= 0) message = message[..at];
        return $"{error.GetType().Name}: {string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}";
    }
}
