using System.Globalization;

namespace Sweeps.Pruning.Training;

/// <summary>
/// The values one numeric setting may take: bounded on both sides, so that a trial given any of them can be trained
/// (no run of 10^300 epochs, no batch that overflows a step count, no learning rate that is already infinite).
/// </summary>
public sealed record SettingRange(string Key, double Min, double Max, bool MinExcluded = false, bool Integer = false, string? Note = null)
{
    public bool Contains(double value) =>
        double.IsFinite(value) && (MinExcluded ? value > Min : value >= Min) && value <= Max && (!Integer || value == Math.Floor(value));

    /// <summary>What the setting expects, in words, e.g. "a positive integer, at most 4096".</summary>
    public string Expected
    {
        get
        {
            var max = Max.ToString("G", CultureInfo.InvariantCulture);
            var text = (Integer, Min, MinExcluded) switch
            {
                (true, 1, false) or (true, 0, true) => $"a positive integer, at most {max}",
                (true, 0, false) => $"a non-negative integer, at most {max}",
                (true, _, _) => $"an integer from {Min.ToString(CultureInfo.InvariantCulture)} to {max}",
                (false, 0, true) when Max == 1 => "a number in (0, 1]",
                (false, 0, true) => $"a positive number, at most {max}",
                (false, 0, false) => $"a non-negative number, at most {max}",
                _ => $"a number from {Min.ToString(CultureInfo.InvariantCulture)} to {max}",
            };
            return Note is null ? text : $"{text} ({Note})";
        }
    }
}
