using Sweeps.Pruning.Inputs;

namespace Sweeps.SweepClient.Grids;

/// <summary>Bounds a grid file must respect: its size and the number of trials it plans.</summary>
/// <param name="CheckPaths">Whether the model, data and teacher folders must exist here, and are fingerprinted (a cluster's folders may be the silos' alone).</param>
public sealed record GridLimits(int MaxTrials = 10_000, long MaxBytes = InputFile.GridBytes, bool CheckPaths = true);
