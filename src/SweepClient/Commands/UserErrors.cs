using System.Reflection;
using Spectre.Console;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Trials;

namespace Sweeps.SweepClient.Commands;

/// <summary>Turns the errors a user can cause (bad files, bad options, unknown ids) into one line and exit code 2.</summary>
public static class UserErrors
{
    public const int ExitCode = 2;

    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsUsers(e))
        {
            // Inputs, options, files and folders a user named: one line, no stack trace.
            AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {Message(e)}");
            return ExitCode;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.Console.MarkupLine("cancelled");
            return 130;
        }
        catch (HttpRequestException e)
        {
            AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] download failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>The message, without the " (Parameter 'name')" .NET appends to an ArgumentException that names its parameter.</summary>
    private static string Message(Exception e) =>
        e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    private static bool IsUsers(Exception e) =>
        e is UserInputException or ModelFormatException or DataFormatException or IOException or UnauthorizedAccessException or SweepAccessDeniedException
            or TrainingDivergedException
        || e is ArgumentException && ThrownByOurCode(e);

    /// <summary>
    /// The engine checks a trial's settings with ArgumentExceptions whose messages are written for the user ("prune_steps
    /// = 900: …"). One thrown by a library instead ("The value cannot be an empty string (Parameter 'primaryKey')")
    /// means we passed it an input we should have checked first: that is our bug, left to surface as one.
    /// </summary>
    private static bool ThrownByOurCode(Exception e) =>
        e.TargetSite?.DeclaringType?.Assembly is { } assembly && assembly.GetName().Name is { } name
        && (name.StartsWith("Sweeps.", StringComparison.Ordinal) || assembly == Assembly.GetExecutingAssembly());
}
