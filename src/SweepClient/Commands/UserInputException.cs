namespace Sweeps.SweepClient.Commands;

/// <summary>An input the user gave (an id, an option, a cluster address) that the command cannot use; its message says why in the user's terms.</summary>
public sealed class UserInputException(string message) : Exception(message);
