using Sweeps.Artifacts;

namespace Sweeps.Pruning.Export;

/// <summary>One export: which trial, from which store, to which folder, in which format.</summary>
/// <param name="Destination">The folder to create; it must not exist or be empty, unless <paramref name="Force"/>.</param>
/// <param name="SweepId">The sweep the trial was chosen from, for the model card; null when exported by trial id.</param>
/// <param name="Command">The command line that made the export, for the model card.</param>
public sealed record ExportRequest(
    TrialArtifactStore Store,
    string TrialId,
    string Destination,
    ExportFormat Format = ExportFormat.HuggingFace,
    ExportPrecision DType = ExportPrecision.Fp32,
    bool Force = false,
    string? SweepId = null,
    string Command = "sweep export");
