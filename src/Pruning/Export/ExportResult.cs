using Sweeps.Pruning.Training;

namespace Sweeps.Pruning.Export;

/// <summary>What an export wrote: the folder, the trial and class it holds, and the measured sizes.</summary>
public sealed record ExportResult(string Folder, string TrialId, ExportArchitecture Architecture, TrialResult Trial, ExportSizes Sizes);
