using Spectre.Console;

namespace Sweeps.SweepClient;

/// <summary>
/// The width tables are laid out for. In a terminal, the terminal's. Piped or in a CI log there is no terminal to
/// measure and Spectre.Console would assume 80 columns, splitting cells across lines; there, COLUMNS is honoured as
/// `ls` and `less` do, and without it tables take the width their cells need (a table only ever takes that much).
/// </summary>
public static class ConsoleWidth
{
    /// <summary>Wide enough for any table we print without wrapping; only tables use the width (nothing expands to it).</summary>
    public const int Unbounded = 2000;

    public static void Apply()
    {
        if (!Console.IsOutputRedirected) return;
        AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : Unbounded;
    }
}
