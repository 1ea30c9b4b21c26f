namespace Sweeps.Artifacts;

/// <summary>
/// Writes a finished trial of a store as its pruned model, as <c>sweep export</c> does. The engine implements it
/// (<c>EngineTrialExporter</c> in src/Pruning) and a host that serves the pages registers it: the pages offer the
/// download without loading the engine themselves.
/// </summary>
public interface ITrialExporter
{
    /// <summary>Writes trial <paramref name="trialId"/> of <paramref name="store"/> into <paramref name="folder"/>, which must not exist yet.</summary>
    /// <param name="sweepId">The sweep the trial was chosen from; with <paramref name="command"/> (what asked for the export), for the model card.</param>
    /// <exception cref="TrialNotExportableException">The trial cannot be exported here.</exception>
    void Export(TrialArtifactStore store, string trialId, string folder, ExportFormat format, string sweepId, string command);
}
