namespace Sweeps.SweepClient.Grids;

/// <summary>Bounds a grid file must respect: its size on disk and the number of trials it expands to.</summary>
public sealed record GridLimits(int MaxTrials = 10_000, long MaxBytes = 1 << 20);
