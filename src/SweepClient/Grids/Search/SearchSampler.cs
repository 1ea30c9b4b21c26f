using Sweeps.Search;

namespace Sweeps.SweepClient.Grids.Search;

/// <summary>
/// Draws a random or Sobol search's points at submission: for each sample, a value for every sampled setting, asked of
/// the method's <see cref="ISearchSampler"/> one point after another, as a sweep asks a model-based search's sampler
/// (their points depend on no result, so all are known at once and the sweep's trials are fixed when it is submitted).
/// </summary>
public static class SearchSampler
{
    public static IReadOnlyList<IReadOnlyDictionary<string, double>> Points(SearchSpec search, IReadOnlyDictionary<string, Distribution> distributions)
    {
        if (distributions.Count == 0 || search.Method == SearchMethod.Grid) return [new Dictionary<string, double>()];
        var space = new SearchSpace(distributions); // the grid's key order: the order of each point's draws
        ISearchSampler sampler = search.Method switch
        {
            SearchMethod.Random => new RandomSampler(space, search.Seed),
            SearchMethod.Sobol => new SobolSampler(space, search.Seed),
            _ => throw new ArgumentOutOfRangeException(nameof(search)),
        };
        var drawn = new List<SearchTrial>();
        for (var i = 0; i < search.Samples; i++) drawn.Add(new SearchTrial(sampler.Next(drawn), Loss: null));
        return drawn.Select(t => t.Settings).ToList();
    }
}
