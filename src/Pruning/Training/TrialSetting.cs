using System.Globalization;

namespace Sweeps.Pruning.Training;

/// <summary>
/// One numeric trial setting: its key (the grid's, and `sweep train`'s as an option), its default, and the values it
/// may take — bounded on both sides, so that a trial given any of them can be trained (no run of 10^300 epochs, no
/// batch that overflows a step count, no learning rate that is already infinite).
/// </summary>
/// <param name="Default">The value a trial takes when the setting is not given (null: unset, the engine decides).</param>
/// <param name="Help">What the setting does, for `sweep train --help`.</param>
/// <param name="Flag">`sweep train`'s option where the key's own would be ambiguous.</param>
public sealed record TrialSetting(string Key, double? Default, double Min, double Max, bool MinExcluded = false, bool Integer = false,
    string? Note = null, string? Help = null, string? Flag = null)
{
    public bool Contains(double value) =>
        double.IsFinite(value) && (MinExcluded ? value > Min : value >= Min) && value <= Max && (!Integer || value == Math.Floor(value));

    /// <summary>The default of a setting that always has one.</summary>
    public double Value => Default ?? throw new InvalidOperationException($"{Key} has no default");

    /// <summary>The default of an integer setting that always has one.</summary>
    public int IntValue => (int)Value;

    /// <summary>`sweep train`'s option for the setting: its key with dashes, e.g. --score-lr.</summary>
    public string Option => Flag ?? "--" + Field.Replace('_', '-');

    /// <summary>The key inside its grid section: distillation.alpha_kd is alpha_kd of the distillation mapping.</summary>
    public string Field => Key[(Key.IndexOf('.') + 1)..];

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

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting when <paramref name="value"/> is out of range.</summary>
    public void Check(double? value)
    {
        if (value is { } v && !Contains(v)) throw new ArgumentException($"{Key} = {v.ToString(CultureInfo.InvariantCulture)}: expected {Expected}");
    }
}
