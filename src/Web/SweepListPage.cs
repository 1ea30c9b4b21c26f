using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
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
                // Owners arrive with authenticated clients; until then no sweep has one.
                "–",
                ProgressBar(status), .. Counts(status).Select(c => c.ToString()),
            ]);
        }
        var content = rows.Count == 0
            ? "<p>No sweeps yet: <code>sweep submit grid.yaml</code> starts one.</p>"
            : Table(["sweep", "name", "submitted", "owner", "progress", .. CountNames], rows, css: "sweeps");
        return new Page("Sweeps", [("sweeps", "/sweeps")], [new PageSection("sweeps", $"{rows.Count} sweeps", content)]);
    }

    public static readonly string[] CountNames = ["done", "running", "queued", "failed", "collapsed", "stopped", "cancelled"];

    /// <summary>Done counts reused trials too; collapsed counts finished trials whose selected evaluation predicted one class.</summary>
    public static IEnumerable<int> Counts(SweepStatus status) =>
    [
        status.Count(TrialState.Done) + status.Count(TrialState.Reused), status.Count(TrialState.Running), status.Count(TrialState.Queued),
        status.Count(TrialState.Failed), status.Finished.Count(f => f.Outcome.SelectedCollapsed(status.Select)), status.Count(TrialState.Stopped),
        status.Count(TrialState.Cancelled),
    ];

    /// <summary>A bar of the trials that are final (done, stopped, failed, cancelled) out of all of them.</summary>
    public static string ProgressBar(SweepStatus status)
    {
        var final = status.Trials.Count(t => t.State.IsFinal());
        return $"<progress max=\"{status.Trials.Count}\" value=\"{final}\"></progress> {final}/{status.Trials.Count}";
    }
}
