namespace Sweeps.Pruning.Trials;

/// <summary>A trial whose loss stopped being finite; the message says what went non-finite first and which settings bear on it (<see cref="NonFiniteLoss"/>).</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
