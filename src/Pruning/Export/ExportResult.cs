using Sweeps.Artifacts;

namespace Sweeps.Pruning.Export;

/// <summary>What an export wrote: the folder, the trial, format and class it holds, and the measured sizes.</summary>
public sealed record ExportResult(string Folder, string TrialId, ExportFormat Format, ExportArchitecture Architecture, TrialResult Trial, ExportSizes Sizes);
