using System.CommandLine;
using Spectre.Console;
using Sweeps.Artifacts;
using Sweeps.Pruning;
using Sweeps.Pruning.Export;
using Sweeps.SweepClient.Cluster;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// `sweep export`: a finished trial's pruned model as a Hugging Face folder or an ONNX graph, with its measured sizes.
/// By trial id it reads only the artefact store; with <c>--best</c> it asks the cluster for the sweep's results first.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "A trial's id; with --best, a sweep's id" };
        var output = new Option<string>("--output", "-o") { Description = "Folder to create; it must not exist or be empty", Required = true };
        var format = new Option<string>("--format") { Description = $"{ExportFormatNames.Expected}: a Hugging Face folder (transformers loads it) or one ONNX graph", DefaultValueFactory = _ => "hf" };
        var dtype = new Option<string>("--dtype") { Description = $"{ExportPrecisionNames.Expected}: the weights' number format (hf only)", DefaultValueFactory = _ => "fp32" };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --output folder" };
        var best = new Option<bool>("--best") { Description = "ID is a sweep: export its best finished trial of --task at --keep (and --method)" };
        var task = new Option<string?>("--task") { Description = "With --best: the task" };
        var keep = new Option<double?>("--keep") { Description = "With --best: the keep fraction" };
        var method = new Option<string?>("--method") { Description = "With --best: only this method's trials (default: every method competes)" };
        var command = new Command("export",
            "Export a finished trial: the base model with its masks multiplied in (pruned weights exactly zero), its head and tokenizer; "
            + "the artefact store is --artifacts (default: the embedded cluster's)")
        {
            id, output, format, dtype, force, best, task, keep, method,
        };
        ClusterSettings.AddTo(command);
        command.Validators.Add(r =>
        {
            var choosing = r.GetValue(task) is not null || r.GetValue(keep) is not null || r.GetValue(method) is not null;
            if (r.GetValue(best) && (r.GetValue(task) is null || r.GetValue(keep) is null)) r.AddError("--best needs --task and --keep");
            if (!r.GetValue(best) && choosing) r.AddError("--task, --keep and --method choose a sweep's trial with --best");
        });
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            var settings = ClusterSettings.From(result);
            var (trialId, sweepId) = (result.GetValue(id)!, (string?)null);
            if (result.GetValue(best))
            {
                // The cluster is asked only for the sweep's results, and closed before the export reads the store.
                await using var cluster = await ClusterConnection.OpenAsync(settings, cancellation);
                var sweep = await SweepCommands.FindStatus(cluster, trialId);
                var chosen = BestTrial.Choose(sweep, result.GetValue(task)!, result.GetValue(keep)!.Value, result.GetValue(method));
                AnsiConsole.MarkupLineInterpolated($"{chosen.Reason}");
                (trialId, sweepId) = (chosen.Spec.Id, sweep.SweepId);
            }
            var request = new ExportRequest(new TrialArtifactStore(settings.ArtifactRoot), trialId, result.GetValue(output)!,
                ExportFormatNames.Parse(result.GetValue(format)!), ExportPrecisionNames.Parse(result.GetValue(dtype)!), result.GetValue(force),
                sweepId, "sweep " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            Print(TrialExporter.Export(request, SweepsCache.Default()));
            return 0;
        }));
        return command;
    }

    private static void Print(ExportResult export)
    {
        var what = export.Format == ExportFormat.Onnx ? $"ONNX, opset {OnnxBertGraph.Opset}" : export.Architecture.ClassName();
        AnsiConsole.MarkupLineInterpolated($"wrote {export.Folder} ({what}, trial {export.TrialId})");
        var table = new Table().AddColumn("on disk").AddColumn(new TableColumn("bytes").RightAligned());
        table.AddRow("trial artefact (masks at 1 bit per weight, head)", $"{export.Sizes.ArtifactBytes:N0}");
        table.AddRow("exported weights", $"{export.Sizes.WeightsBytes:N0}");
        table.AddRow("exported weights, gzip", $"{export.Sizes.CompressedWeightsBytes:N0}");
        AnsiConsole.Write(table);
    }
}
