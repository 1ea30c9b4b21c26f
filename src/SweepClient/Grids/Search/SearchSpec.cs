namespace Sweeps.SweepClient.Grids.Search;

/// <summary>A grid's <c>search</c>: how many points of its distributions to draw, and how.</summary>
/// <param name="Samples">Points drawn; each is crossed with the grid's list axes (tasks, methods, keep, seeds, …).</param>
public sealed record SearchSpec(SearchMethod Method, int Samples, int Seed)
{
    public static SearchSpec Grid { get; } = new(SearchMethod.Grid, 1, 0);

    /// <summary>Upper bound on <see cref="Samples"/>: past it a grid is better written as several sweeps.</summary>
    public const int MaxSamples = 100_000;
}
