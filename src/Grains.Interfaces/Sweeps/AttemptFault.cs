namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// How a trial attempt went wrong. Each counts against the sweep's retry limit; the attempt history, <c>sweep status</c>
/// and the transitions metric name it.
/// </summary>
public enum AttemptFault
{
    /// <summary>The trial's own error: bad data, a diverging loss, a broken model file.</summary>
    Failed,
    /// <summary>Its worker process died without saying how (a signal, an abort in native code, an exit code).</summary>
    Crashed,
    /// <summary>An allocation failed: the worker reached its memory cap, or its device ran out.</summary>
    OutOfMemory,
    /// <summary>Its worker reported nothing for longer than the silo's hang timeout and was killed.</summary>
    Hung,
}

public static class AttemptFaults
{
    /// <summary>How an attempt's ending and a trial's error begin for each fault ("crashed: …").</summary>
    public static string Name(this AttemptFault fault) => fault switch
    {
        AttemptFault.Failed => "failed",
        AttemptFault.Crashed => "crashed",
        AttemptFault.OutOfMemory => "out of memory",
        AttemptFault.Hung => "hung",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>
    /// True for an attempt's ending that is a problem to look at (a fault, or an attempt lost with its silo), rather than
    /// done, stopped early, interrupted or cancelled.
    /// </summary>
    public static bool IsTrouble(string? ending) =>
        ending is not null && (ending.StartsWith("lost", StringComparison.Ordinal) || Enum.GetValues<AttemptFault>().Any(f => ending.StartsWith(f.Name() + ":", StringComparison.Ordinal)));
}
