using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.SweepClient.Cluster;

namespace Sweeps.SweepClient.Commands;

/// <summary>`sweep train`: runs one trial in this process and prints its result (the unit a sweep schedules).</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrialConfig { Task = SpamAssassinTask.Name };
        var model = new Option<string>("--model") { Description = "Built-in model name or Hugging Face model folder", DefaultValueFactory = _ => defaults.Model };
        var task = new Option<string>("--task") { Description = $"Task: {string.Join(", ", TaskCatalog.Names)}", DefaultValueFactory = _ => defaults.Task };
        var data = new Option<string?>("--data") { Description = "The task's data folder: GLUE TSV files, or SQuAD's train-v1.1.json and dev-v1.1.json" };
        var method = new Option<string>("--method") { Description = "dense, magnitude, movement, smp-l or smp-s", DefaultValueFactory = _ => defaults.Method.ToName() };
        var keep = new Option<double>("--keep") { Description = "Fraction of each masked matrix kept at the end", DefaultValueFactory = _ => defaults.KeepFraction };
        var classifier = new Option<string>("--classifier") { Description = "mlm (frozen masked-LM head at label words) or linear", DefaultValueFactory = _ => defaults.Classifier.ToName() };
        var teacher = new Option<string?>("--teacher") { Description = "A teacher to distil from: a dense trial's output folder, or a fine-tuned Hugging Face folder" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var epochs = new Option<double>("--epochs") { DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => defaults.BatchSize };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => defaults.MaxLength };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use only the first N training examples" };
        var devLimit = new Option<int?>("--dev-limit") { Description = "Evaluate on only the first N dev examples" };
        var headLr = new Option<double>("--head-lr") { DefaultValueFactory = _ => defaults.HeadLearningRate };
        var scoreLr = new Option<double>("--score-lr") { DefaultValueFactory = _ => defaults.ScoreLearningRate };
        var weightLr = new Option<double>("--weight-lr") { DefaultValueFactory = _ => defaults.WeightLearningRate };
        var finalLambda = new Option<double>("--final-lambda") { Description = "Final weight of the sigmoid-L1 regulariser", DefaultValueFactory = _ => defaults.FinalLambda };
        var maxGradNorm = new Option<double>("--max-grad-norm") { Description = "Clip gradients to this total norm (0: no clipping)", DefaultValueFactory = _ => defaults.MaxGradNorm };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Evaluate on dev every N steps once the keep fraction reached its target (default: 1,000 steps or an epoch, whichever is shorter)" };
        var pruneSteps = new Option<int?>("--prune-steps") { Description = "The keep fraction reaches its target after N steps (default: at 2/3 of training)" };
        var pruneHoldSteps = new Option<int?>("--prune-hold-steps") { Description = "The keep fraction holds its target for the last N steps" };
        var lambdaSteps = new Option<int?>("--lambda-steps") { Description = "λ reaches its final value after N steps (default: at the end of training)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => defaults.Device };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--output") { Description = "Folder for checkpoints and the trial's artefacts", Required = true };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps (0: only when interrupted)", DefaultValueFactory = _ => 50 };

        var command = new Command("train", "Run one trial (SMP or a baseline) and print its result; resumes from a checkpoint in --output")
        {
            model, task, data, method, keep, classifier, teacher, seed, epochs, batchSize, maxLength, trainLimit, devLimit,
            headLr, scoreLr, weightLr, finalLambda, maxGradNorm, evalEvery, pruneSteps, pruneHoldSteps, lambdaSteps, device, threads, output, checkpointEvery,
        };
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            TorchSharp.torch.set_num_threads(Math.Max(1, result.GetValue(threads)));
            var config = new TrialConfig
            {
                Task = result.GetValue(task)!,
                DataFolder = result.GetValue(data),
                Model = result.GetValue(model)!,
                Method = PruningMethodFacts.Parse(result.GetValue(method)!),
                KeepFraction = result.GetValue(keep),
                Classifier = ClassifierModeNames.Parse(result.GetValue(classifier)!),
                Distillation = result.GetValue(teacher) is { } teacherFolder ? new DistillationSettings(teacherFolder) : null,
                Seed = result.GetValue(seed),
                Epochs = result.GetValue(epochs),
                BatchSize = result.GetValue(batchSize),
                MaxLength = result.GetValue(maxLength),
                MaxTrainExamples = result.GetValue(trainLimit),
                MaxDevExamples = result.GetValue(devLimit),
                HeadLearningRate = result.GetValue(headLr),
                ScoreLearningRate = result.GetValue(scoreLr),
                WeightLearningRate = result.GetValue(weightLr),
                FinalLambda = result.GetValue(finalLambda),
                MaxGradNorm = result.GetValue(maxGradNorm),
                EvalEvery = result.GetValue(evalEvery),
                PruneSteps = result.GetValue(pruneSteps),
                PruneHoldSteps = result.GetValue(pruneHoldSteps),
                LambdaSteps = result.GetValue(lambdaSteps),
                Device = result.GetValue(device)!,
                CheckpointEverySteps = result.GetValue(checkpointEvery),
            };
            config.Validate();
            var folder = result.GetValue(output)!;
            TrialResult? trial = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask($"{config.Method.ToName()} keep {config.KeepFraction:P0}");
                    var progress = new Progress<TrialProgress>(p =>
                    {
                        if (p.Message is not null) AnsiConsole.MarkupLineInterpolated($"[grey]{p.Message}[/]");
                        if (p.TotalSteps <= 0) return;
                        bar.MaxValue = p.TotalSteps;
                        bar.Value = p.Step;
                        bar.Description = $"{p.Phase} loss {ProgressText.Loss(p.Loss)} keep {p.KeepFraction:P1} {p.TokensPerSecond:N0} tok/s";
                    });
                    trial = await Task.Run(() => TrialTrainer.RunAsync(config, folder, SweepsCache.Default(), progress, cancellation), cancellation);
                });
            Print(trial!);
            await File.WriteAllTextAsync(Path.Combine(folder, "result.json"), JsonSerializer.Serialize(trial, new JsonSerializerOptions { WriteIndented = true }), cancellation);
            return 0;
        }));
        return command;
    }

    private static void Print(TrialResult trial)
    {
        var table = new Table().AddColumns("", "value");
        table.AddRow("task", trial.Task);
        table.AddRow("method", $"{trial.Method} ({trial.Classifier} head)");
        foreach (var (name, value) in trial.DevMetrics)
            table.AddRow($"dev {name}", $"{value:F4} (best, step {trial.BestStep}); final {trial.FinalMetrics.GetValueOrDefault(name):F4}");
        if (trial.Collapsed || trial.FinalCollapsed)
            table.AddRow("collapsed", $"every dev prediction is one class ({(trial.Collapsed ? "best" : "")}{(trial.Collapsed && trial.FinalCollapsed ? " and " : "")}{(trial.FinalCollapsed ? "final" : "")} evaluation)");
        table.AddRow("evaluations", $"{trial.Evaluations.Count} ({trial.EvaluationSeconds:F1} s, {trial.EvaluationSeconds / Math.Max(1e-9, trial.TrainingSeconds):P0} of the training time)");
        table.AddRow("keep (target / achieved)", $"{trial.TargetKeepFraction:P1} / {trial.AchievedKeepFraction:P2}");
        table.AddRow("mask size", $"{trial.MaskBytes:N0} bytes");
        table.AddRow("steps", trial.ResumedFromStep > 0 ? $"{trial.Steps} (resumed at {trial.ResumedFromStep})" : trial.Steps.ToString());
        table.AddRow("wall time", trial.WallTime.ToString(@"hh\:mm\:ss"));
        table.AddRow("training throughput", $"{trial.TokensPerSecond:N0} tokens/s");
        foreach (var note in trial.Notes) table.AddRow("note", Markup.Escape(note));
        AnsiConsole.Write(table);
    }
}
