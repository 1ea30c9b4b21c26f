using System.CommandLine;
using System.Runtime.InteropServices;
using Sweeps.SweepClient;
using Sweeps.SweepClient.Commands;

ConsoleWidth.Apply();

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
    ExportStudyCommand.Create(),
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
var parsed = root.Parse(args.Length == 0 ? ["--help"] : args); // a bare `sweep` shows what it can do
if (UsageErrors.Of(parsed) is { Count: > 0 } problems) return UsageErrors.Print(parsed, problems);
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
