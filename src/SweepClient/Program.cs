using System.CommandLine;
using Sweeps.SweepClient.Commands;

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
