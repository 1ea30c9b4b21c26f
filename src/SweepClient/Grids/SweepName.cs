using System.Text.RegularExpressions;

namespace Sweeps.SweepClient.Grids;

/// <summary>A grid's name: it starts the sweep id, which names folders, metric labels and URLs, so it stays plain.</summary>
public static partial class SweepName
{
    public const string Expected = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    // \z, not $: in .NET "$" also matches before a final newline, which would let "name\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex Pattern();
}
