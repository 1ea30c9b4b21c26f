namespace Sweeps.Search;

/// <summary>
/// Independent uniform draws: the baseline every model-based sampler must beat. Point n is the n-th run of one draw per
/// setting from a single generator seeded with the seed (System.Random with a seed gives the same sequence on every
/// machine), so a seed gives the same points whether a grid draws them all at submission or a sweep asks for them one
/// at a time.
/// </summary>
public sealed class RandomSampler(SearchSpace space, int seed) : ISearchSampler
{
    private readonly SequenceCursor<double[]> draws = new(() =>
    {
        var random = new Random(seed);
        return () => Enumerable.Range(0, space.Count).Select(_ => random.NextDouble()).ToArray();
    });

    public IReadOnlyDictionary<string, double> Next(IReadOnlyList<SearchTrial> trials) => space.ValuesAt(draws.At(trials.Count));
}
