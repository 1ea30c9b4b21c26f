namespace Sweeps.Grains.Interfaces.Results;

/// <summary>One value of a results cell over its seeds: a metric, or the keep fraction the masks achieved.</summary>
/// <param name="Std">The sample standard deviation (n − 1 in the denominator); null for a single seed.</param>
public sealed record SeedStatistics(double Mean, double? Std, int N, double Min, double Max)
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
