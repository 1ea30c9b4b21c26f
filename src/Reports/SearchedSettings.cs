using System.Globalization;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// The settings a task's cells were searched over: numeric settings that take at least <see cref="MinimumValues"/>
/// values among them. A search's distributions give each trial its own value; a grid's list axis gives a few, which the
/// keep-fraction plot already draws as separate lines.
/// </summary>
public static class SearchedSettings
{
    public const int MinimumValues = 4;

    public static IReadOnlyList<string> Of(IEnumerable<ResultCell> cells)
    {
        var values = cells.SelectMany(c => c.Varied).GroupBy(v => v.Key, v => v.Value);
        return values.Where(v => v.All(x => Number(x) is not null) && v.Distinct().Count() >= MinimumValues).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The cell's value of a setting, when it has one and it is a number.</summary>
    public static double? Value(ResultCell cell, string setting) =>
        cell.Varied.FirstOrDefault(v => v.Key == setting) is { Key: not null } v ? Number(v.Value) : null;

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
