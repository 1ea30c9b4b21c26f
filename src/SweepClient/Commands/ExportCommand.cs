using System.CommandLine;
using Spectre.Console;
using Sweeps.Pruning;
using Sweeps.Pruning.Export;
using Sweeps.Pruning.Trials;

namespace Sweeps.SweepClient.Commands;

/// <summary>`sweep export`: a finished trial's pruned model as a Hugging Face folder or an ONNX graph, with its measured sizes.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var trial = new Argument<string>("TRIAL") { Description = "The trial's id (a sweep's trial table and its pages show them)" };
        var output = new Option<string>("--output", "-o") { Description = "Folder to create; it must not exist or be empty", Required = true };
        var format = new Option<string>("--format") { Description = $"{ExportFormatNames.Expected}: a Hugging Face folder (transformers loads it) or one ONNX graph", DefaultValueFactory = _ => "hf" };
        var dtype = new Option<string>("--dtype") { Description = $"{ExportPrecisionNames.Expected}: the weights' number format", DefaultValueFactory = _ => "fp32" };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --output folder" };
        var artifacts = new Option<string?>("--artifacts") { Description = "The artefact store holding the trial (default: <cache>/artifacts, the embedded cluster's)" };
        var command = new Command("export", "Export a finished trial: the base model with its masks multiplied in (pruned weights exactly zero), its head and tokenizer")
        {
            trial, output, format, dtype, force, artifacts,
        };
        command.SetAction((result, cancellation) => UserErrors.Guard(() =>
        {
            var cache = SweepsCache.Default();
            var store = new TrialArtifactStore(result.GetValue(artifacts) ?? Path.Combine(cache.Root, "artifacts"));
            var request = new ExportRequest(store, result.GetValue(trial)!, result.GetValue(output)!,
                ExportFormatNames.Parse(result.GetValue(format)!), ExportPrecisionNames.Parse(result.GetValue(dtype)!), result.GetValue(force),
                Command: "sweep " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            Print(TrialExporter.Export(request, cache));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static void Print(ExportResult export)
    {
        AnsiConsole.MarkupLineInterpolated($"wrote {export.Folder} ({export.Architecture.ClassName()}, trial {export.TrialId})");
        var table = new Table().AddColumns("on disk", "bytes");
        table.AddRow("trial artefact (masks at 1 bit per weight, head)", $"{export.Sizes.ArtifactBytes:N0}");
        table.AddRow("exported weights", $"{export.Sizes.WeightsBytes:N0}");
        table.AddRow("exported weights, gzip", $"{export.Sizes.CompressedWeightsBytes:N0}");
        AnsiConsole.Write(table);
    }
}
