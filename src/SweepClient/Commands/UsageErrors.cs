using System.CommandLine;
using Spectre.Console;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// What the parser found wrong with a command line (an unknown option, a value out of range, an empty id): each problem
/// on a line of its own and where to read the options, then exit code 2, as for every other mistake of the user's.
/// System.CommandLine would print the whole help page after the problem and return 1.
/// </summary>
public static class UsageErrors
{
    public static int Print(ParseResult parsed)
    {
        foreach (var error in parsed.Errors) AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
        AnsiConsole.Console.MarkupLineInterpolated($"`{CommandPath(parsed.CommandResult.Command)} --help` lists the arguments and options");
        return UserErrors.ExitCode;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault()) names.Insert(0, c is RootCommand ? "sweep" : c.Name);
        return string.Join(' ', names);
    }
}
