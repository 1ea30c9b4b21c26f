namespace Sweeps.Grains.Interfaces.Results;

/// <summary>One value of a results cell over its seeds: a metric, or the keep fraction the masks achieved.</summary>
/// <param name="Std">The sample standard deviation (n − 1 in the denominator); null for a single seed.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SeedStatistics")]
public sealed record SeedStatistics(
    [property: Id(0)] double Mean, [property: Id(1)] double? Std, [property: Id(2)] int N, [property: Id(3)] double Min, [property: Id(4)] double Max)
{
    /// <exception cref="ArgumentException">No values.</exception>
    public static SeedStatistics Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("a cell needs at least one seed's value", nameof(values));
        var mean = values.Average();
        double? std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : null;
        return new SeedStatistics(mean, std, values.Count, values.Min(), values.Max());
    }
}
