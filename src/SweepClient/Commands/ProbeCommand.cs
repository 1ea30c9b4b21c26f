using System.CommandLine;
using Spectre.Console;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Devices;
using Sweeps.Pruning.Evaluation;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Trials;
using Sweeps.Pruning;
using TorchSharp;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// `sweep probe`: loads a model (importing the built-in one on first use) and a task (downloading the built-in one on
/// first use), and scores the frozen model on the dev split with a nearest-centroid probe. No training.
/// </summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Built-in model name or Hugging Face model folder", DefaultValueFactory = _ => BuiltInModels.MiniLm };
        var task = new Option<string>("--task") { Description = $"Task: {string.Join(", ", TaskCatalog.Names)}", DefaultValueFactory = _ => SpamAssassinTask.Name };
        var data = new Option<string?>("--data") { Description = "Folder of the task's TSV files (GLUE tasks need one)" };
        var maxLength = new Option<int>("--max-length") { Description = "Maximum tokens per example", DefaultValueFactory = _ => 128 };
        var trainLimit = new Option<int>("--train-limit") { Description = "Training examples used to build the class centroids", DefaultValueFactory = _ => 1000 };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per forward pass", DefaultValueFactory = _ => 32 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("probe", "Score a frozen model on a task's dev split (nearest class centroid); imports and downloads on first use")
        {
            model, task, data, maxLength, trainLimit, batchSize, device, threads,
        };
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            TorchSharp.torch.set_num_threads(Math.Max(1, result.GetValue(threads)));
            var torchDevice = TorchDevices.Parse(result.GetValue(device)!);
            var cache = SweepsCache.Default();
            var status = new Progress<string>(s => AnsiConsole.MarkupLineInterpolated($"[grey]{s}[/]"));

            var folder = BuiltInModels.Resolve(result.GetValue(model)!, cache);
            var (bert, report) = BertCheckpointLoader.Load(folder);
            using var _ = bert;
            if (report.Unexpected.Count > 0)
                AnsiConsole.MarkupLineInterpolated($"[yellow]unused tensors in {folder.WeightsPath}:[/] {string.Join(", ", report.Unexpected)}");
            bert.to(torchDevice);
            var textTask = await TaskCatalog.LoadTextAsync(result.GetValue(task)!, result.GetValue(data), cache, status, cancellation);
            var batcher = new TextBatcher(BertTextEncoder.Load(folder), result.GetValue(maxLength), result.GetValue(batchSize));

            ProbeResult? probe = null;
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var bar = context.AddTask($"encoding {textTask.Name}");
                var progress = new Progress<(int Done, int Total)>(p =>
                {
                    bar.MaxValue = p.Total;
                    bar.Value = p.Done;
                });
                probe = await Task.Run(() => CentroidProbe.Run(bert, batcher, textTask, result.GetValue(trainLimit), torchDevice, progress, cancellation), cancellation);
                bar.Value = bar.MaxValue;
            });
            Print(folder.Path, probe!);
            return 0;
        }));
        return command;
    }

    private static void Print(string modelPath, ProbeResult probe)
    {
        var table = new Table().AddColumns("", "value");
        table.AddRow("model", Markup.Escape(modelPath));
        table.AddRow("task", probe.Task);
        table.AddRow("train examples (centroids)", probe.TrainExamples.ToString("N0"));
        table.AddRow("dev examples", probe.DevExamples.ToString("N0"));
        foreach (var (name, value) in probe.DevMetrics) table.AddRow($"dev {name}", value.ToString("F4"));
        table.AddRow("majority-class accuracy", probe.MajorityClassAccuracy.ToString("F4"));
        table.AddRow("tokens encoded", probe.Tokens.ToString("N0"));
        table.AddRow("throughput", $"{probe.TokensPerSecond:N0} tokens/s");
        AnsiConsole.Write(table);
    }
}
