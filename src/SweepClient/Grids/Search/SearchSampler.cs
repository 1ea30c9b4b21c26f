using Sweeps.Search;

namespace Sweeps.SweepClient.Grids.Search;

/// <summary>Draws a search's points: for each sample, a value for every sampled setting, in the grid's key order.</summary>
public static class SearchSampler
{
    public static IReadOnlyList<IReadOnlyDictionary<string, double>> Points(SearchSpec search, IReadOnlyDictionary<string, Distribution> distributions)
    {
        if (distributions.Count == 0 || search.Method == SearchMethod.Grid) return [new Dictionary<string, double>()];
        var keys = distributions.Keys.ToList();
        Func<double[]> next = search.Method switch
        {
            SearchMethod.Random => Uniform(keys.Count, search.Seed),
            SearchMethod.Sobol => new SobolSequence(keys.Count, search.Seed).Next,
            _ => throw new ArgumentOutOfRangeException(nameof(search)),
        };
        var points = new List<IReadOnlyDictionary<string, double>>();
        for (var i = 0; i < search.Samples; i++)
        {
            var u = next();
            points.Add(keys.Select((key, d) => (key, value: distributions[key].At(u[d]))).ToDictionary(p => p.key, p => p.value));
        }
        return points;
    }

    // System.Random with a seed gives the same sequence on every machine and run.
    private static Func<double[]> Uniform(int dimensions, int seed)
    {
        var random = new Random(seed);
        return () => Enumerable.Range(0, dimensions).Select(_ => random.NextDouble()).ToArray();
    }
}
