using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Web;

/// <summary>
/// What a sweep's page shows, each part read on its own and none of them the whole sweep: the summary, the result
/// cells, the first page of running trials, and the page of every trial being viewed.
/// </summary>
/// <param name="Page">Which page of <see cref="Trials"/> this is, from 1.</param>
public sealed record SweepView(SweepProgress Summary, SweepResults? Results, TrialListing Running, TrialListing Trials, int Page)
{
    /// <summary>Trials per page of the "every trial" table (and at most this many running trials are shown).</summary>
    public const int PageSize = TrialQuery.DefaultLimit;

    /// <summary>The page of every trial a query string asks for (<c>?page=2</c>); the first where it names none or a bad one.</summary>
    public static int PageAsked(string? page) => int.TryParse(page, out var n) && n > 0 ? n : 1;
}
