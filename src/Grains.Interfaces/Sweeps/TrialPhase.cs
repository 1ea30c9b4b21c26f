namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>What a running trial is doing, as its progress reports say: the engine's phases, and starting before the first.</summary>
public enum TrialPhase
{
    Starting,
    Preparing,
    Training,
    Evaluating,
    Done,
}
