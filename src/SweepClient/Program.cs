using System.CommandLine;
using Spectre.Console;
using Sweeps.SweepClient.Commands;

// Piped output has no terminal to measure: tables take the width COLUMNS names, as `ls` and `less` do, else 80.
if (Console.IsOutputRedirected && int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
    AnsiConsole.Profile.Width = columns;

var root = new RootCommand("sweep: hyper-parameter sweeps of Static Model Pruning (SMP) on BERT models")
{
    ProbeCommand.Create(),
    TrainCommand.Create(),
    SubmitCommand.Create(),
    SweepCommands.Status(),
    SweepCommands.Watch(),
    SweepCommands.Results(),
    SweepCommands.Plot(),
    SweepCommands.Cancel(),
    SweepCommands.List(),
};
return await root.Parse(args).InvokeAsync();
