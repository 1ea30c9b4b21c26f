namespace Sweeps.SweepClient.Grids;

/// <summary>Bounds a grid file must respect: its size on disk and the number of trials it expands to.</summary>
/// <param name="CheckPaths">Whether the model, data and teacher folders must exist here (a dry run plans a grid meant for other machines).</param>
public sealed record GridLimits(int MaxTrials = 10_000, long MaxBytes = 1 << 20, bool CheckPaths = true);
