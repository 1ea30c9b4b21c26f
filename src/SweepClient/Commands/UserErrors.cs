using Spectre.Console;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;

namespace Sweeps.SweepClient.Commands;

/// <summary>Turns the errors a user can cause (bad files, bad options) into a message and exit code 2.</summary>
public static class UserErrors
{
    public const int ExitCode = 2;

    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ModelFormatException or DataFormatException or ArgumentException or IOException or UnauthorizedAccessException or SweepAccessDeniedException)
        {
            // Inputs, options, files and folders a user named: one line, no stack trace.
            AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
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
}
