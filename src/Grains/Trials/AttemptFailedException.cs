using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Trials;

/// <summary>An attempt that ended with a fault of its own kind; its message is the reason the sweep records.</summary>
public sealed class AttemptFailedException(AttemptFault fault, string reason) : Exception(reason)
{
    public AttemptFault Fault { get; } = fault;
}
