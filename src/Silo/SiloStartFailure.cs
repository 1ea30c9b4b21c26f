using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Sweeps.Silo;

/// <summary>
/// A silo that cannot start because of its settings says so in one line naming the setting, and exits with code 1 (so
/// that Kubernetes restarts it, as for any failed start); the exception with its stack trace is printed only where the
/// log level is Debug or Trace. Anything else is a fault of ours and surfaces as one, with its trace.
/// </summary>
public static class SiloStartFailure
{
    public const int ExitCode = 1;

    /// <summary>One line naming the setting at fault, or null where the exception is not a start problem of the settings.</summary>
    public static string? Describe(Exception e) => e switch
    {
        SiloStartException start => start.Message,
        OptionsValidationException options => string.Join("; ", options.Failures),
        // Kestrel could not listen where --urls says (a host name the start checks could not resolve themselves).
        IOException { InnerException: AddressInUseException } bind => $"--urls (ASPNETCORE_URLS): {bind.Message}",
        _ => null,
    };

    public static int Report(string problem, Exception e, string[] args)
    {
        Console.Error.WriteLine($"the silo cannot start: {problem}");
        if (DebugLogging(args)) Console.Error.WriteLine(e);
        return ExitCode;
    }

    private static bool DebugLogging(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return configuration["Logging:LogLevel:Default"] is { } level
            && (level.Equals("Debug", StringComparison.OrdinalIgnoreCase) || level.Equals("Trace", StringComparison.OrdinalIgnoreCase));
    }
}
