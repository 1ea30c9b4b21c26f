using System.CommandLine;
using Spectre.Console;
using Sweeps.Reports;

namespace Sweeps.SweepClient.Commands;

/// <summary>`sweep export-study ID -o study.log`: the sweep's trials as an Optuna journal file (<see cref="OptunaJournal"/>).</summary>
public static class ExportStudyCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "The journal file to write", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing file" };
        var command = new Command("export-study",
            "Write a sweep's trials as an Optuna study in a journal file, for Optuna's analysis and optuna-dashboard: "
            + "optuna.load_study(storage=JournalStorage(JournalFileStorage(FILE)), study_name=None)")
            { SweepCommands.SweepId, output, force, SweepCommands.SelectOption };
        ClusterCommand.SetAction(command, async (result, cluster, _) =>
        {
            var path = Path.GetFullPath(result.GetValue(output)!);
            // A journal is appended to: a second study in the same file would make load_study ask which one.
            if (File.Exists(path) && !result.GetValue(force)) throw new UserInputException($"--output {path} exists; give --force to replace it");
            var status = SweepCommands.Selected(await SweepCommands.FindStatus(cluster, result.GetValue(SweepCommands.SweepId)!), result);
            var partial = path + ".partial";
            await File.WriteAllTextAsync(partial, OptunaJournal.Write(status));
            File.Move(partial, path, overwrite: true);
            AnsiConsole.MarkupLineInterpolated($"wrote {path}: {status.Trials.Count} trials of sweep {status.SweepId} as an Optuna study");
            return 0;
        });
        return command;
    }
}
