namespace Sweeps.SweepClient.Grids.Search;

/// <summary>How a grid's training distributions are sampled (<c>search.method</c>).</summary>
public enum SearchMethod
{
    /// <summary>No sampling: every axis is a list, crossed (the default).</summary>
    Grid,
    /// <summary>Independent uniform draws from a seeded generator.</summary>
    Random,
    /// <summary>A Sobol low-discrepancy sequence, digitally shifted by the seed: the space covered evenly with few points.</summary>
    Sobol,
    /// <summary>Multivariate TPE: the sweep proposes each point from the results so far, as slots free.</summary>
    Tpe,
}
