using Sweeps.Artifacts;
using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Export;

/// <summary>
/// The engine's export behind <see cref="ITrialExporter"/>, for those who offer exports without running the engine
/// themselves (the pages): fp32 weights, base models read from <paramref name="cache"/>.
/// </summary>
public sealed class EngineTrialExporter(SweepsCache cache) : ITrialExporter
{
    public void Export(TrialArtifactStore store, string trialId, string folder, ExportFormat format, string sweepId, string command)
    {
        try
        {
            TrialExporter.Export(new ExportRequest(store, trialId, folder, format, SweepId: sweepId, Command: command), cache);
        }
        catch (Exception e) when (e is ArgumentException or IOException or ModelFormatException)
        {
            throw new TrialNotExportableException(e.Message, e);
        }
    }
}
