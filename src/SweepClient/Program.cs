using System.CommandLine;
using System.Runtime.InteropServices;
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
    UiCommand.Create(),
    ExportCommand.Create(),
};
// Ctrl-C and SIGTERM cancel the command, which then stops cleanly (an embedded cluster checkpoints its running trials
// first, which takes longer than System.CommandLine's two-second grace); a second Ctrl-C ends the process at once.
using var stop = new CancellationTokenSource();
var interrupts = 0;
Console.CancelKeyPress += (_, e) =>
{
    if (Interlocked.Increment(ref interrupts) > 1) return;
    e.Cancel = true;
    Console.Error.WriteLine("stopping (Ctrl-C again to quit at once)");
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
