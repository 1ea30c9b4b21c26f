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
            var status = await grains.GetGrain<ISweepGrain>(sweep.SweepId).GetStatus();
            if (status is null) continue;
            rows.Add([
                $"<a href=\"/sweeps/{U(sweep.SweepId)}\">{E(sweep.SweepId)}</a>", E(sweep.Name), Time(sweep.SubmittedAt),
                E(SweepOwners.Shown(sweep.Owner)),
                ProgressBar(status), .. SweepCounts.Of(status).Select(c => c.ToString()),
            ]);
        }
        var content = rows.Count == 0
            ? "<p>No sweeps yet: <code>sweep submit grid.yaml</code> starts one.</p>"
            : Table(["sweep", "name", "submitted", "owner", "progress", .. SweepCounts.Names], rows, css: "sweeps");
        return new Page("Sweeps", [("sweeps", "/sweeps")], [new PageSection("sweeps", $"{rows.Count} sweeps", content)]);
    }

    /// <summary>A bar of the trials that are final (done, stopped, failed, cancelled) out of all of them.</summary>
    public static string ProgressBar(SweepStatus status)
    {
        var final = status.Trials.Count(t => t.State.IsFinal());
        return $"<progress max=\"{status.Trials.Count}\" value=\"{final}\"></progress> {final}/{status.Trials.Count}";
    }
}
