namespace Sweeps.Search;

/// <summary>
/// The settings a search samples, in a fixed order, each with its distribution. Samplers work on a unit coordinate per
/// setting: for a real setting its position in [low, high] (in log space for a log-uniform one), for an integer the
/// same over [low − ½, high + ½], for a choice its index. <see cref="Distribution.At"/> turns a coordinate into a value.
/// </summary>
public sealed class SearchSpace
{
    public SearchSpace(IEnumerable<KeyValuePair<string, Distribution>> settings)
    {
        Settings = settings.ToList();
        if (Settings.Count == 0) throw new ArgumentException("a search space needs at least one setting", nameof(settings));
    }

    public IReadOnlyList<KeyValuePair<string, Distribution>> Settings { get; }

    public int Count => Settings.Count;

    public Distribution this[int dimension] => Settings[dimension].Value;

    /// <summary>The point whose coordinates are <paramref name="u"/> (each in [0, 1]), as values.</summary>
    public IReadOnlyDictionary<string, double> ValuesAt(IReadOnlyList<double> u) =>
        Settings.Select((s, d) => (s.Key, Value: s.Value.At(Math.Clamp(u[d], 0, Math.BitDecrement(1.0))))).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>A value's unit coordinate (for a choice, the centre of its share of [0, 1)).</summary>
    /// <exception cref="ArgumentException">A choice that is not one of the listed values.</exception>
    public double Coordinate(int dimension, double value)
    {
        var d = this[dimension];
        return d.Kind switch
        {
            DistributionKind.Uniform => (value - d.Low) / (d.High - d.Low),
            DistributionKind.LogUniform => (Math.Log(value) - Math.Log(d.Low)) / (Math.Log(d.High) - Math.Log(d.Low)),
            DistributionKind.IntUniform => (value - d.Low + 0.5) / (d.High - d.Low + 1),
            DistributionKind.Choice => (ChoiceIndex(dimension, value) + 0.5) / d.Choices.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
        };
    }

    /// <summary>Which of a choice's values <paramref name="value"/> is.</summary>
    public int ChoiceIndex(int dimension, double value)
    {
        var choices = this[dimension].Choices;
        for (var i = 0; i < choices.Count; i++)
            if (choices[i] == value) return i;
        throw new ArgumentException($"{value} is not one of the choices of {Settings[dimension].Key} ({string.Join(", ", choices)})", nameof(value));
    }
}
