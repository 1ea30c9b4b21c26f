namespace Sweeps.Search;

/// <summary>
/// Quasi-random points: point n is the n-th point of the (digitally shifted) <see cref="SobolSequence"/> of the space's
/// dimensions, so the points spread evenly over the space whatever their number, the same at submission or one at a time.
/// </summary>
public sealed class SobolSampler(SearchSpace space, int seed) : ISearchSampler
{
    private readonly SequenceCursor<double[]> points = new(() => new SobolSequence(space.Count, seed).Next);

    public IReadOnlyDictionary<string, double> Next(IReadOnlyList<SearchTrial> trials) => space.ValuesAt(points.At(trials.Count));
}
