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

    /// <summary>
    /// What a search's analysis reads: <see cref="Of"/>, and the keep fraction where the cells take four values or more of
    /// it (a search that samples it); a grid's keep fractions stay the keep-fraction plot's.
    /// </summary>
    public static IReadOnlyList<string> OfSearch(IReadOnlyCollection<ResultCell> cells)
    {
        var settings = Of(cells);
        return cells.Select(c => c.Keep).Distinct().Count() >= MinimumValues ? [Keep, .. settings] : settings;
    }

    /// <summary>The name <see cref="OfSearch"/> gives the keep fraction.</summary>
    public const string Keep = "keep";

    /// <summary>The cell's value of a setting (or its keep fraction, <see cref="Keep"/>), when it has one and it is a number.</summary>
    public static double? Value(ResultCell cell, string setting) =>
        setting == Keep ? cell.Keep : cell.Varied.FirstOrDefault(v => v.Key == setting) is { Key: not null } v ? Number(v.Value) : null;

    /// <summary>
    /// A setting's values mapped onto [0, 1], lowest to highest, in log space where they span more than a factor of 20
    /// (how the analysis draws and weighs them); <c>Log</c> says which.
    /// </summary>
    public static (Func<double, double> Unit, bool Log) UnitScale(IReadOnlyCollection<double> values)
    {
        var (low, high) = (values.Min(), values.Max());
        var log = low > 0 && high / low > 20;
        Func<double, double> scale = log ? Math.Log : v => v;
        var (a, b) = (scale(low), scale(high));
        return (v => b > a ? (scale(v) - a) / (b - a) : 0.5, log);
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
