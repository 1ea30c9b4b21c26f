namespace Sweeps.Artifacts;

/// <summary>A trial that cannot be exported here: not done, its files gone, or its base model not on this host. The message says which.</summary>
public sealed class TrialNotExportableException(string message, Exception inner) : Exception(message, inner);
