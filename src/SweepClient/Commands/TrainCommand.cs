using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Sweeps.Artifacts;
using Sweeps.Reports;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Pruning;
using Sweeps.SweepClient.Cluster;

namespace Sweeps.SweepClient.Commands;

/// <summary>`sweep train`: runs one trial in this process and prints its result (the unit a sweep schedules).</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Built-in model name or Hugging Face model folder", DefaultValueFactory = _ => TrialSettings.DefaultModel };
        var task = new Option<string>("--task") { Description = $"Task: {string.Join(", ", TaskCatalog.Names)}", DefaultValueFactory = _ => SpamAssassinTask.Name };
        var data = new Option<string?>("--data") { Description = "The task's data folder: GLUE TSV files, or SQuAD's train-v1.1.json and dev-v1.1.json" };
        var method = new Option<string>("--method") { Description = PruningMethodFacts.Expected, DefaultValueFactory = _ => TrialSettings.DefaultMethod.ToName() };
        var classifier = new Option<string>("--classifier") { Description = $"{ClassifierModeNames.Expected}: a linear head on [CLS], or the frozen masked-LM head at label words", DefaultValueFactory = _ => TrialSettings.DefaultClassifier.ToName() };
        var precision = new Option<string>("--precision") { Description = $"{PrecisionNames.Expected}: bf16 multiplies in bfloat16 and stores frozen weights in it (scores, optimiser state, LayerNorm and losses stay fp32)", DefaultValueFactory = _ => Precision.Fp32.ToName() };
        var teacher = new Option<string?>("--teacher") { Description = "A teacher to distil from: a dense trial's output folder, or a fine-tuned Hugging Face folder" };
        var keep = Setting(TrialSettings.Keep);
        var seed = Setting(TrialSettings.Seed);
        // Every training setting of a grid is an option here, by the same name, default and range.
        var training = TrialSettings.Training.Values.ToDictionary(s => s.Key, Setting);
        var distillation = TrialSettings.Distillation.ToDictionary(s => s.Key, Setting);
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--output") { Description = "Folder for checkpoints and the trial's artefacts", Required = true };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps (0: only when interrupted)", DefaultValueFactory = _ => 50 };

        var command = new Command("train", "Run one trial (SMP or a baseline) and print its result; resumes from a checkpoint in --output")
        {
            model, task, data, method, keep, classifier, precision, teacher, seed, device, threads, output, checkpointEvery,
        };
        foreach (var option in training.Values.Concat(distillation.Values)) command.Options.Add(option);
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            TorchSharp.torch.set_num_threads(Math.Max(1, result.GetValue(threads)));
            double? Given(TrialSetting setting, Option<double?> option)
            {
                var value = result.GetValue(option);
                setting.Check(value);
                return value;
            }
            var distil = distillation.ToDictionary(d => d.Key, d => Given(TrialSettings.Distillation.Single(s => s.Key == d.Key), d.Value));
            var config = new TrialConfig
            {
                Task = result.GetValue(task)!,
                Data = result.GetValue(data),
                Model = result.GetValue(model)!,
                Method = PruningMethodFacts.Parse(result.GetValue(method)!),
                Keep = Given(TrialSettings.Keep, keep) ?? TrialSettings.Keep.Value,
                Classifier = ClassifierModeNames.Parse(result.GetValue(classifier)!),
                Precision = PrecisionNames.Parse(result.GetValue(precision)!),
                Distillation = result.GetValue(teacher) is { } teacherFolder
                    ? new DistillationSettings(teacherFolder)
                    {
                        Temperature = distil[TrialSettings.DistillationTemperature.Key] ?? TrialSettings.DistillationTemperature.Value,
                        AlphaKd = distil[TrialSettings.AlphaKd.Key] ?? TrialSettings.AlphaKd.Value,
                        AlphaCe = distil[TrialSettings.AlphaCe.Key] ?? TrialSettings.AlphaCe.Value,
                    }
                    : null,
                Seed = (int)(Given(TrialSettings.Seed, seed) ?? TrialSettings.Seed.Value),
                Device = result.GetValue(device)!,
                CheckpointEverySteps = result.GetValue(checkpointEvery),
            }.WithTraining(training.ToDictionary(t => t.Key, t => result.GetValue(t.Value)));
            config.Validate();
            var folder = result.GetValue(output)!;
            TrialResult? trial = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask($"{config.Method.ToName()} keep {config.Keep:P0}");
                    var progress = new Progress<TrialProgress>(p =>
                    {
                        if (p.Message is not null) AnsiConsole.MarkupLineInterpolated($"[grey]{p.Message}[/]");
                        if (p.TotalSteps <= 0) return;
                        bar.MaxValue = p.TotalSteps;
                        bar.Value = p.Step;
                        bar.Description = $"{p.Phase.ToString().ToLowerInvariant()} loss {ProgressText.Loss(p.Loss)} keep {p.KeepFraction:P1} {p.TokensPerSecond:N0} tok/s";
                    });
                    trial = await Task.Run(() => TrialTrainer.RunAsync(config, folder, SweepsCache.Default(), progress, cancellation), cancellation);
                });
            Print(trial!);
            await File.WriteAllTextAsync(Path.Combine(folder, "result.json"), JsonSerializer.Serialize(trial, new JsonSerializerOptions { WriteIndented = true }), cancellation);
            return 0;
        }));
        return command;
    }

    /// <summary>An option for one setting: its name, help and default from <see cref="TrialSettings"/> (unset: the engine's default).</summary>
    private static Option<double?> Setting(TrialSetting setting) => new(setting.Option)
    {
        Description = (setting.Help ?? setting.Key) + (setting.Default is { } value ? $" [default: {value.ToString("G4", CultureInfo.InvariantCulture)}]" : ""),
    };

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
