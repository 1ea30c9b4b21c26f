using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// What is wrong with a command line before any command runs (an unknown option, a value out of range, an empty
/// value): each problem on a line of its own and where to read the options, then exit code 2, as for every other
/// mistake of the user's. System.CommandLine would print the whole help page after the problem and return 1.
/// </summary>
public static class UsageErrors
{
    /// <summary>The parser's errors, else every option or argument given an empty or blank value (a path, an id or a name is never blank).</summary>
    public static IReadOnlyList<string> Of(ParseResult parsed) =>
        parsed.Errors.Count > 0 ? parsed.Errors.Select(e => e.Message).ToList() : BlankValues(parsed.RootCommandResult).ToList();

    public static int Print(ParseResult parsed, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems) AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {problem}");
        AnsiConsole.Console.MarkupLineInterpolated($"`{CommandPath(parsed.CommandResult.Command)} --help` lists the arguments and options");
        return UserErrors.ExitCode;
    }

    private static IEnumerable<string> BlankValues(SymbolResult result)
    {
        var blank = result.Tokens.Any(t => t.Type == TokenType.Argument && string.IsNullOrWhiteSpace(t.Value));
        if (blank && result is OptionResult option) yield return $"{option.Option.Name} is empty; give it a value or leave it out";
        if (blank && result is ArgumentResult argument) yield return $"{argument.Argument.Name} is empty";
        if (result is not CommandResult command) yield break;
        foreach (var child in command.Children)
            foreach (var problem in BlankValues(child))
                yield return problem;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault()) names.Insert(0, c is RootCommand ? "sweep" : c.Name);
        return string.Join(' ', names);
    }
}
