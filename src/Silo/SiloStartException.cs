namespace Sweeps.Silo;

/// <summary>A setting that keeps the silo from starting (a store it cannot reach, a port already taken); the message names the setting.</summary>
public sealed class SiloStartException(string message, Exception? inner = null) : Exception(message, inner);
