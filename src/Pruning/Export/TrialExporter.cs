using Sweeps.Artifacts;
using Sweeps.Pruning.Checkpoints;

namespace Sweeps.Pruning.Export;

/// <summary>Exports a finished trial: reads and checks it, writes the chosen format to a temporary folder, renames it into place.</summary>
public static class TrialExporter
{
    public const string OnnxFileName = "model.onnx";

    public static ExportResult Export(ExportRequest request, SweepsCache cache)
    {
        // Refused before the trial is loaded: a full folder should not cost a model load to find out.
        var destination = ExportDestination.Check(request.Destination, request.Force);
        if (request.Format == ExportFormat.Onnx && request.DType != ExportPrecision.Fp32)
            throw new ArgumentException($"ONNX export writes fp32 weights; --dtype {request.DType.ToName()} is for the hf format");
        using var trial = ExportedTrial.Open(request.Store, request.TrialId, cache);
        ExportSizes? sizes = null;
        ExportDestination.Write(destination, request.Force, folder =>
        {
            string weights;
            if (request.Format == ExportFormat.Onnx)
            {
                weights = Path.Combine(folder, OnnxFileName);
                OnnxFolder.Write(trial, request, folder);
            }
            else
            {
                HuggingFaceFolder.Write(trial, request, folder);
                weights = Path.Combine(folder, ModelFolder.WeightsFileName);
            }
            sizes = ExportSizes.Measure(trial.ArtifactPath, weights);
        });
        return new ExportResult(destination, trial.TrialId, request.Format, trial.Architecture, trial.Result, sizes!);
    }
}
