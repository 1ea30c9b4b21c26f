namespace Sweeps.Search;

/// <summary>
/// Proposes a search's next point from the trials so far. A proposal is a function of the sampler's seed and the
/// trials it is given (in the order they were proposed), so a sweep that restarts rebuilds its sampler from its stored
/// trials and proposes what it would have.
/// </summary>
public interface ISearchSampler
{
    /// <summary>The next point: a value for every setting of the space, as its <see cref="Distribution"/> gives values.</summary>
    /// <param name="trials">Every trial proposed so far, finished or running, in the order proposed.</param>
    IReadOnlyDictionary<string, double> Next(IReadOnlyList<SearchTrial> trials);
}
