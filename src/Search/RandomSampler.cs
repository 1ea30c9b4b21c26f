namespace Sweeps.Search;

/// <summary>Independent uniform draws: the baseline every model-based sampler must beat.</summary>
public sealed class RandomSampler(SearchSpace space, int seed) : ISearchSampler
{
    public IReadOnlyDictionary<string, double> Next(IReadOnlyList<SearchTrial> trials)
    {
        var random = SamplerRandom.For(seed, trials.Count);
        return space.ValuesAt(Enumerable.Range(0, space.Count).Select(_ => random.NextDouble()).ToList());
    }
}
