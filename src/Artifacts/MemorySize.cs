using System.Globalization;
using System.Text.RegularExpressions;

namespace Sweeps.Artifacts;

/// <summary>
/// Memory sizes as Kubernetes writes them (<c>512Mi</c>, <c>6Gi</c>, <c>8G</c>, <c>1500000000</c>): the grid's
/// <c>resources.memory</c> and the silo's <c>Sweeps:Worker:Memory</c> read them, and every figure of bytes shown to
/// people is written by <see cref="Format"/>.
/// </summary>
public static partial class MemorySize
{
    private static readonly Dictionary<string, long> Units = new(StringComparer.Ordinal)
    {
        [""] = 1, ["k"] = 1000, ["M"] = 1000_000, ["G"] = 1000_000_000, ["T"] = 1000_000_000_000,
        ["Ki"] = 1L << 10, ["Mi"] = 1L << 20, ["Gi"] = 1L << 30, ["Ti"] = 1L << 40,
    };

    /// <summary>What a size should look like, for error messages.</summary>
    public const string Expected = "a size such as 512Mi, 6Gi or 8G (Kubernetes' units: Ki, Mi, Gi, Ti or k, M, G, T)";

    /// <summary>The size in bytes, or null when the text is not a positive size.</summary>
    public static long? TryParse(string? text)
    {
        var match = Quantity().Match(text?.Trim() ?? "");
        if (!match.Success || !Units.TryGetValue(match.Groups[2].Value, out var unit)) return null;
        if (!double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
        var bytes = number * unit;
        return bytes is >= 1 and < long.MaxValue ? (long)bytes : null;
    }

    public static string Format(long bytes) => bytes switch
    {
        < 1 << 10 => $"{bytes} B",
        < 1 << 20 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1 << 30 => (bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / 1073741824.0).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
    };

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)([A-Za-z]*)$")]
    private static partial Regex Quantity();
}
