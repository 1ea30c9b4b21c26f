using System.Globalization;
using System.Text;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;
using static Sweeps.Web.Html;

namespace Sweeps.Web;

/// <summary>
/// <c>/sweeps/{id}</c>: the sweep's progress, the paper-style table (the cells `sweep results` prints), its plot, the
/// running trials as they train, the failed trials with their reasons, and every trial. Each section updates live.
/// </summary>
public static class SweepPage
{
    public static Page Render(SweepStatus status)
    {
        var href = $"/sweeps/{U(status.SweepId)}";
        return new Page($"{status.Name} ({status.SweepId})", [("sweeps", "/sweeps"), (status.SweepId, href)],
        [
            new PageSection("progress", "Progress", Progress(status)),
            new PageSection("results", "Results", Results(status)),
            new PageSection("plot", "Plot", Plot(status, href)),
            new PageSection("running", "Running trials", Running(status, href)),
            new PageSection("failed", "Failures", Failures(status, href)),
            new PageSection("trials", "Every trial", Trials(status, href)),
        ]);
    }

    private static string Progress(SweepStatus status)
    {
        var counts = SweepCounts.Names.Zip(SweepCounts.Of(status)).Where(c => c.Second > 0)
            .Select(c => $"<span class=\"chip {c.First}\">{c.Second} {c.First}</span>");
        return $"<p>{SweepListPage.ProgressBar(status)} {string.Concat(counts)}</p>"
            + Facts([("submitted", Time(status.SubmittedAt)), ("owner", E(SweepOwners.Shown(status.Owner))), ("trials", status.Trials.Count.ToString(CultureInfo.InvariantCulture)),
                ("results show", status.Select == MetricSelection.Best ? "each trial's best dev evaluation" : "each trial's final evaluation"),
                ("state", status.Cancelled ? "cancelled" : status.IsFinished ? "finished" : "running")]);
    }

    /// <summary>Per task, a row per method (± KD, and settings where they differ), a column per keep fraction: mean ± std (n, collapsed, stopped).</summary>
    private static string Results(SweepStatus status)
    {
        var panels = ResultsWriter.Panels(status).ToList();
        if (panels.Count == 0) return "<p>No finished trials yet.</p>";
        var text = new StringBuilder();
        foreach (var panel in panels)
        {
            var rows = panel.Rows.Select(row => (IEnumerable<string>)[E(row), .. panel.Keeps.Select(keep => Cell(panel, row, keep))]);
            text.Append(Table(["method", .. panel.Keeps.Select(k => E(ResultsWriter.KeepHeader(k)))], rows, E(ResultsWriter.Title(panel, status.Select)), "results"));
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

    /// <summary>The plot's address carries the number of finished trials, so the browser fetches it again when one more finishes.</summary>
    private static string Plot(SweepStatus status, string href)
    {
        var finished = status.Finished.Count();
        return finished == 0
            ? "<p>The plot appears with the first finished trial.</p>"
            : $"<img class=\"plot\" src=\"{href}/plot.svg?finished={finished}\" alt=\"dev metric against the keep fraction, mean ± std over seeds, per task\">";
    }

    private static string Running(SweepStatus status, string href)
    {
        var running = status.Trials.Where(t => t.State == TrialState.Running).ToList();
        if (running.Count == 0) return "<p>None running.</p>";
        var rows = running.Select(t => (IEnumerable<string>)
        [
            TrialLink(href, t), E(t.Spec.Label), t.Attempts.ToString(CultureInfo.InvariantCulture), E(t.Silo ?? "–"), E(t.Device ?? "–"),
            E(t.Progress?.Phase.ToString().ToLowerInvariant() ?? "starting"), StepBar(t.Progress),
            t.Progress is { } p ? Percent(p.KeepFraction) : "–", E(ProgressText.Loss(t.Progress?.Loss ?? double.NaN)), E(ProgressText.LatestDev(t) ?? "–"),
        ]);
        return Table(["trial", "label", "attempt", "silo", "device", "phase", "step", "keep", "loss", "latest dev"], rows, css: "running");
    }

    private static string Failures(SweepStatus status, string href)
    {
        // Final failures, and the reason a retried trial's last attempt failed.
        var failed = status.Trials.Where(t => t.State == TrialState.Failed || (t.Error is not null && !t.State.HasResult())).ToList();
        if (failed.Count == 0) return "<p>No failures.</p>";
        var rows = failed.Select(t => (IEnumerable<string>)[TrialLink(href, t), E(t.Spec.Label), E(t.State.ToString().ToLowerInvariant()),
            t.Attempts.ToString(CultureInfo.InvariantCulture), $"<span class=\"reason\">{E(t.Error)}</span>"]);
        return Table(["trial", "label", "state", "attempts", "reason"], rows, css: "failed");
    }

    private static string Trials(SweepStatus status, string href)
    {
        var rows = status.Trials.Select(t => (IEnumerable<string>)
        [
            TrialLink(href, t), E(t.Spec.Label), E(ProgressText.State(t, status.Select)),
            E(t.Outcome is { } o ? ProgressText.Outcome(o, status.Select, sayCollapsed: false) : ""),
            Downloads(href, t),
        ]);
        return $"<details{(status.Trials.Count <= 40 ? " open" : "")}><summary>{status.Trials.Count} trials</summary>"
            + Table(["trial", "label", "state", $"metric ({status.Select.ToString().ToLowerInvariant()})", "export"], rows, css: "trials") + "</details>";
    }

    // A done trial's pruned model, exported when clicked (the trial's page says more).
    private static string Downloads(string href, TrialStatus trial) => string.Join(" · ",
        new[] { ExportFormat.HuggingFace, ExportFormat.Onnx }
            .Select(f => (Format: f, Href: TrialExportDownload.Href($"{href}/trials/{U(trial.Spec.Id)}", trial, f)))
            .Where(l => l.Href is not null)
            .Select(l => $"<a class=\"download\" href=\"{E(l.Href!)}\" download>{l.Format.ToName()}</a>"));

    private static string TrialLink(string href, TrialStatus trial) => $"<a href=\"{href}/trials/{U(trial.Spec.Id)}\">{E(trial.Spec.Id)}</a>";

    /// <summary>A bar of the steps taken, with "step/total"; "–" before the first.</summary>
    public static string StepBar(TrialProgressReport? progress) => progress is { TotalSteps: > 0 } p
        ? $"<progress max=\"{p.TotalSteps}\" value=\"{p.Step}\"></progress> <span class=\"step\">{p.Step}/{p.TotalSteps}</span>"
        : "–";
}
