namespace Sweeps.Grains.Interfaces.Security;

/// <summary>A caller asked for something its identity does not allow (a cancel of another's sweep, a missing or bad proof); the message says who may.</summary>
[GenerateSerializer, Alias("sweeps.SweepAccessDeniedException")]
public sealed class SweepAccessDeniedException : Exception
{
    public SweepAccessDeniedException(string message) : base(message)
    {
    }
}
