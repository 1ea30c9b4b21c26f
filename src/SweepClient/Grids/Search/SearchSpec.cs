namespace Sweeps.SweepClient.Grids.Search;

/// <summary>A grid's <c>search</c>: how many points of its distributions to draw, and how.</summary>
/// <param name="Samples">Points drawn; each is crossed with the grid's list axes (tasks, methods, keep, seeds, …).</param>
/// <param name="Startup">TPE: points drawn at random before the model is used.</param>
public sealed record SearchSpec(SearchMethod Method, int Samples, int Seed, int Startup = SearchSpec.DefaultStartup)
{
    public static SearchSpec Grid { get; } = new(SearchMethod.Grid, 1, 0);

    /// <summary>Optuna's n_startup_trials.</summary>
    public const int DefaultStartup = 10;

    /// <summary>The sweep proposes the points as it runs, rather than the grid drawing them at submission.</summary>
    public bool ProposedBySweep => Method == SearchMethod.Tpe;

    /// <summary>Upper bound on <see cref="Samples"/>: past it a grid is better written as several sweeps.</summary>
    public const int MaxSamples = 100_000;
}
