using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;
using static Sweeps.Web.Html;

namespace Sweeps.Web;

/// <summary><c>/sweeps</c>: every sweep of the cluster, newest first, with its progress by state.</summary>
public static class SweepListPage
{
    public static async Task<Page> RenderAsync(IGrainFactory grains)
    {
        var sweeps = await grains.GetGrain<ISweepCatalogGrain>(0).List();
        var rows = new List<IEnumerable<string>>();
        foreach (var sweep in sweeps.OrderByDescending(s => s.SubmittedAt))
        {
            // From the catalog: listing sweeps activates none of them, but those submitted before sweeps reported their counts (asked once).
            IReadOnlyList<int> counts;
            int final;
            if (sweep.Counts is { } byState)
                (counts, final) = (SweepCounts.Of(byState, sweep.Collapsed), byState.Where(c => c.Key.IsFinal()).Sum(c => c.Value));
            else if (await grains.GetGrain<ISweepGrain>(sweep.SweepId).GetProgress() is { } progress)
                (counts, final) = (SweepCounts.Of(progress), progress.Finished);
            else continue;
            rows.Add([
                $"<a href=\"/sweeps/{U(sweep.SweepId)}\">{E(sweep.SweepId)}</a>", E(sweep.Name), Time(sweep.SubmittedAt),
                E(SweepOwners.Shown(sweep.Owner)),
                ProgressBar(final, sweep.Trials), .. counts.Select(c => c.ToString()),
            ]);
        }
        var content = rows.Count == 0
            ? "<p>No sweeps yet: <code>sweep submit grid.yaml</code> starts one.</p>"
            : Table(["sweep", "name", "submitted", "owner", "progress", .. SweepCounts.Names], rows, css: "sweeps");
        return new Page("Sweeps", [("sweeps", "/sweeps")], [new PageSection("sweeps", $"{rows.Count} sweeps", content)]);
    }

    /// <summary>A bar of the trials that are final (done, stopped, failed, cancelled) out of all of them.</summary>
    public static string ProgressBar(int final, int total) => $"<progress max=\"{total}\" value=\"{final}\"></progress> {final}/{total}";
}
