namespace Sweeps.Grains.Trials;

/// <summary>A trial's input folders no longer hold what it was submitted with: training them would give a result under the wrong identity.</summary>
public sealed class InputsChangedException(string message) : Exception(message);
