using System.Globalization;
using System.Text;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;
using static Sweeps.Web.Html;

namespace Sweeps.Web;

/// <summary>
/// <c>/sweeps/{id}</c>: the sweep's progress, the paper-style table (the cells `sweep results` prints), its plot, the
/// front of accuracy against size (`sweep results --pareto`) with its plot, a search's analysis, the running trials as they train, the
/// failed trials with their reasons, and every trial a page at a time. Each section updates live. It is built from the sweep's summary, its result cells and pages of its trials, so it costs the same
/// at any size of sweep.
/// </summary>
public static class SweepPage
{
    public static Page Render(SweepView view)
    {
        var summary = view.Summary;
        var href = $"/sweeps/{U(summary.SweepId)}";
        return new Page($"{summary.Name} ({summary.SweepId})", [("sweeps", "/sweeps"), (summary.SweepId, href)],
        [
            new PageSection("progress", "Progress", Progress(summary)),
            new PageSection("results", "Results", Results(view.Results)),
            new PageSection("plot", "Plot", Plot(view.Results, href)),
            new PageSection("pareto", "Accuracy against size", Pareto(view.Results, href)),
            new PageSection("search", "Search", Search(view.Results, href)),
            new PageSection("running", "Running trials", Running(view.Running, href)),
            new PageSection("failed", "Failures", Failures(summary, href)),
            new PageSection("trials", "Every trial", Trials(view, href)),
        ]);
    }

    private static string Progress(SweepProgress summary)
    {
        var counts = SweepCounts.Names.Zip(SweepCounts.Of(summary)).Where(c => c.Second > 0)
            .Select(c => $"<span class=\"chip {c.First}\">{c.Second} {c.First}</span>");
        return $"<p>{SweepListPage.ProgressBar(summary.Finished, summary.Trials)} {string.Concat(counts)}</p>"
            + Facts([("submitted", Time(summary.SubmittedAt)), ("owner", E(SweepOwners.Shown(summary.Owner))), ("trials", Count(summary.Trials)),
                ("results show", summary.Select == MetricSelection.Best ? "each trial's best dev evaluation" : "each trial's final evaluation"),
                ("state", summary.Cancelled ? "cancelled" : summary.IsFinished ? "finished" : "running")]);
    }

    /// <summary>Per task, a row per method (± KD, and settings where they differ), a column per keep fraction: mean ± std (n, collapsed, stopped).</summary>
    private static string Results(SweepResults? results)
    {
        var panels = results is null ? [] : ResultsWriter.Panels(results).ToList();
        if (panels.Count == 0) return "<p>No finished trials yet.</p>";
        var text = new StringBuilder();
        foreach (var panel in panels)
        {
            var rows = panel.Rows.Select(row => (IEnumerable<string>)[E(row), .. panel.Keeps.Select(keep => Cell(panel, row, keep))]);
            text.Append(Table(["method", .. panel.Keeps.Select(k => E(ResultsWriter.KeepHeader(k)))], rows, E(ResultsWriter.Title(panel, results!.Select)), "results"));
        }
        return text.ToString();
    }

    private static string Cell(ResultsPanel panel, string row, double keep)
    {
        if (panel.Cell(row, keep) is not { } cell) return "<td></td>";
        var primary = cell.Metric(panel.Metrics[0]);
        var css = cell.Collapsed > 0 ? " class=\"collapsed\"" : "";
        return $"<td{css} data-task=\"{E(cell.Task)}\" data-method=\"{E(cell.Method)}\" data-distilled=\"{(cell.Distilled ? "true" : "false")}\""
            + $" data-keep=\"{keep.ToString("R", CultureInfo.InvariantCulture)}\" data-settings=\"{E(cell.Settings)}\" data-n=\"{cell.N}\""
            + $" data-mean=\"{primary?.Mean.ToString("R", CultureInfo.InvariantCulture)}\">{E(ResultsWriter.CellText(cell, panel.Metrics))}</td>";
    }

    /// <summary>The plot's address carries the number of results it is drawn from, so the browser fetches it again when one more arrives.</summary>
    private static string Plot(SweepResults? results, string href)
    {
        var drawnFrom = results?.Cells.Sum(c => c.N) ?? 0;
        return drawnFrom == 0
            ? "<p>The plot appears with the first finished trial.</p>"
            : $"<img class=\"plot\" src=\"{href}/plot.svg?finished={drawnFrom}\" alt=\"dev metric against the keep fraction, mean ± std over seeds, per task\">";
    }

    /// <summary>
    /// Per task, the configurations no other beats on both the dev metric and the keep achieved, with the hypervolume
    /// they dominate (`sweep results --pareto`), and their plot.
    /// </summary>
    private static string Pareto(SweepResults? results, string href)
    {
        var groups = results is null ? [] : ParetoFront.Of(results.Cells).Where(g => g.Cells > 1).ToList();
        if (groups.Count == 0) return "<p>The trade-off appears once a task has two configurations with results.</p>";
        var text = new StringBuilder();
        foreach (var group in groups)
        {
            var rows = group.Front.Select(c => (IEnumerable<string>)[E(c.Row), E(ResultsWriter.KeepHeader(c.Keep)), Percent(c.AchievedKeep.Mean), E(ResultsWriter.CellText(c, [group.Metric]))]);
            var title = string.Create(CultureInfo.InvariantCulture,
                $"{group.Task}: {group.Front.Count} of {group.Cells} configurations on the front; hypervolume {group.Hypervolume:F4} (reference: keep 100%, {group.Metric} 0)");
            text.Append(Table(["configuration", "target", "keep achieved", $"dev {group.Metric}"], rows, E(title), "pareto"));
        }
        var drawnFrom = results!.Cells.Sum(c => c.N);
        return text + $"<img class=\"plot\" src=\"{href}/pareto.svg?finished={drawnFrom}\" alt=\"dev metric against the keep achieved, with the Pareto front, per task\">";
    }

    /// <summary>
    /// For a task searched over some settings: how the search converged and its settings against the metric
    /// (`sweep plot --search`); the metric against each setting alone is in the plot above.
    /// </summary>
    private static string Search(SweepResults? results, string href)
    {
        var searched = results is null ? [] : ResultsWriter.Panels(results).Where(p => SearchedSettings.OfSearch(p.Cells).Count > 0).ToList();
        if (searched.Count == 0) return $"<p>A search's analysis appears once a task has results for {SearchedSettings.MinimumValues} values of a setting.</p>";
        var drawnFrom = results!.Cells.Sum(c => c.N);
        var settings = string.Join("; ", searched.Select(p => $"{E(p.Task)}: {E(string.Join(", ", SearchedSettings.OfSearch(p.Cells)))}"));
        var importances = new StringBuilder();
        foreach (var (task, shares) in ImportanceMemo.Of(results, searched).Where(i => i.Value.Count > 0))
        {
            var rows = shares.Select(s => (IEnumerable<string>)[E(s.Key), $"<span data-share=\"{s.Value.ToString("R", CultureInfo.InvariantCulture)}\">{s.Value.ToString("P0", CultureInfo.InvariantCulture)}</span>"]);
            importances.Append(Table(["setting", "share of the variance"], rows,
                E($"{task}: importance of each setting to dev {searched.First(p => p.Task == task).Metrics[0]} (fANOVA over a {SettingImportance.Trees}-tree random forest; what is left is their interactions)"), "importance"));
        }
        return $"<p class=\"searched\">Searched settings — {settings}.</p>" + importances
            + $"<img class=\"plot\" src=\"{href}/search.svg?finished={drawnFrom}\" alt=\"the best dev metric so far against configurations finished, and parallel coordinates of the searched settings and the metric, per task\">";
    }

    private static string Running(TrialListing running, string href)
    {
        if (running.Matching == 0) return "<p>None running.</p>";
        var rows = running.Trials.Select(t => (IEnumerable<string>)
        [
            TrialLink(href, t), E(t.Spec.Label), t.Attempts.ToString(CultureInfo.InvariantCulture), E(t.Silo ?? "–"), E(t.Device ?? "–"),
            E(t.Progress?.Phase.ToString().ToLowerInvariant() ?? "starting"), StepBar(t.Progress),
            t.Progress is { } p ? Percent(p.KeepFraction) : "–", E(ProgressText.Loss(t.Progress?.Loss ?? double.NaN)), E(ProgressText.LatestDev(t) ?? "–"),
        ]);
        var more = running.HasMore ? $"<p class=\"more\">The first {Count(running.Trials.Count)} of {Count(running.Matching)} running, in grid order.</p>" : "";
        return more + Table(["trial", "label", "attempt", "silo", "device", "phase", "step", "keep", "loss", "latest dev"], rows, css: "running");
    }

    /// <summary>The trials that failed for good, and those whose latest attempt failed and that are being retried, with the reason.</summary>
    private static string Failures(SweepProgress summary, string href)
    {
        var listed = summary.Failures.Concat(summary.Retrying).ToList();
        if (listed.Count == 0) return "<p>No failures.</p>";
        var rows = listed.Select(t => (IEnumerable<string>)[TrialLink(href, t), E(t.Spec.Label), E(t.State.ToString().ToLowerInvariant()),
            t.Attempts.ToString(CultureInfo.InvariantCulture), $"<span class=\"reason\">{E(t.Error)}</span>"]);
        var failed = summary.Count(TrialState.Failed);
        var more = failed > summary.Failures.Count ? $"<p class=\"more\">The first {Count(summary.Failures.Count)} of {Count(failed)} failed trials, in grid order.</p>" : "";
        return more + Table(["trial", "label", "state", "attempts", "reason"], rows, css: "failed");
    }

    private static string Trials(SweepView view, string href)
    {
        var (summary, page) = (view.Summary, view.Trials);
        var rows = page.Trials.Select(t => (IEnumerable<string>)
        [
            TrialLink(href, t), E(t.Spec.Label), E(ProgressText.State(t, summary.Select)),
            E(t.Outcome is { } o ? ProgressText.Outcome(o, summary.Select, sayCollapsed: false) : ""),
            Downloads(href, t),
        ]);
        var shown = page.Trials.Count == 0 ? "none" : $"{Count(page.Offset + 1)}–{Count(page.Offset + page.Trials.Count)}";
        var pages = Math.Max(1, (page.Matching + SweepView.PageSize - 1) / SweepView.PageSize);
        var pager = pages == 1 ? "" : "<nav class=\"pager\">"
            + (view.Page > 1 ? $"<a rel=\"prev\" href=\"{href}?page={Math.Min(view.Page - 1, pages)}\">previous</a> " : "")
            + $"<span>trials {shown} of {Count(page.Matching)} (page {Count(view.Page)} of {Count(pages)})</span>"
            + (view.Page < pages ? $" <a rel=\"next\" href=\"{href}?page={view.Page + 1}\">next</a>" : "") + "</nav>";
        return (pager.Length > 0 ? pager : $"<p class=\"count\">{Count(page.Matching)} trials, in grid order.</p>")
            + Table(["trial", "label", "state", $"metric ({summary.Select.ToString().ToLowerInvariant()})", "export"], rows, css: "trials") + pager;
    }

    // A done trial's pruned model, exported when clicked (the trial's page says more).
    private static string Downloads(string href, TrialStatus trial) => string.Join(" · ",
        new[] { ExportFormat.HuggingFace, ExportFormat.Onnx }
            .Select(f => (Format: f, Href: TrialExportDownload.Href($"{href}/trials/{U(trial.Spec.Id)}", trial, f)))
            .Where(l => l.Href is not null)
            .Select(l => $"<a class=\"download\" href=\"{E(l.Href!)}\" download>{l.Format.ToName()}</a>"));

    private static string TrialLink(string href, TrialStatus trial) => $"<a href=\"{href}/trials/{U(trial.Spec.Id)}\">{E(trial.Spec.Id)}</a>";

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A bar of the steps taken, with "step/total"; "–" before the first.</summary>
    public static string StepBar(TrialProgressReport? progress) => progress is { TotalSteps: > 0 } p
        ? $"<progress max=\"{p.TotalSteps}\" value=\"{p.Step}\"></progress> <span class=\"step\">{p.Step}/{p.TotalSteps}</span>"
        : "–";
}
