using System.Globalization;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;
using static Sweeps.Web.Html;

namespace Sweeps.Web;

/// <summary>
/// <c>/sweeps/{id}/trials/{trial}</c>: a trial's state and metrics (best and final), its loss, keep, dev and mask churn curves,
/// mask size, the files it left in the artefact store (checkpoints among them), its attempts (silo, device, how each
/// ended) and every setting it trains with.
/// </summary>
public static class TrialPage
{
    public static Page Render(SweepProgress sweep, TrialStatus trial, TrialFiles? files)
    {
        var sweepHref = $"/sweeps/{U(sweep.SweepId)}";
        var href = $"{sweepHref}/trials/{U(trial.Spec.Id)}";
        return new Page($"{trial.Spec.Label}", [("sweeps", "/sweeps"), (sweep.SweepId, sweepHref), (trial.Spec.Id, href)],
        [
            new PageSection("summary", "Trial", Summary(sweep, trial)),
            new PageSection("metrics", "Metrics", Metrics(trial)),
            new PageSection("curves", "Curves", Curves(trial, files, href)),
            new PageSection("history", "Attempts", History(trial)),
            new PageSection("files", "Artefacts", Downloads(trial, files, href) + Files(files)),
            new PageSection("settings", "Settings", Table(["setting", "value"], ResultCells.AllSettings(trial.Spec).Select(s => (IEnumerable<string>)[E(s.Key), E(s.Value)]), css: "settings")),
        ]);
    }

    private static string Summary(SweepProgress sweep, TrialStatus trial)
    {
        var p = trial.Progress;
        var facts = new List<(string, string)>
        {
            ("state", $"<span class=\"state {trial.State.ToString().ToLowerInvariant()}\">{E(ProgressText.State(trial, sweep.Select))}</span>"),
            ("attempts", trial.Attempts.ToString(CultureInfo.InvariantCulture)),
            ("silo", E(trial.Silo ?? "–")),
            ("device", E(trial.Device ?? "–")),
        };
        if (trial.State == TrialState.Running && p is not null)
            facts.AddRange([
                ("phase", E(p.Phase.ToString().ToLowerInvariant())),
                ("step", SweepPage.StepBar(p)),
                ("keep", Percent(p.KeepFraction)), ("loss", E(ProgressText.Loss(p.Loss))),
                ("tokens/s", Number(p.TokensPerSecond, "F0")),
            ]);
        if (trial.Error is not null) facts.Add(("last failure", $"<span class=\"reason\">{E(trial.Error)}</span>"));
        return Facts(facts);
    }

    private static string Metrics(TrialStatus trial)
    {
        if (trial.Outcome is not { } o) return "<p>No result yet.</p>";
        var final = o.SelectedMetrics(MetricSelection.Final);
        var rows = o.Metrics.Select(m => (IEnumerable<string>)[E(m.Key), Number(m.Value), final.FirstOrDefault(f => f.Key == m.Key) is { Key: not null } f ? Number(f.Value) : "–"]);
        return Table(["dev metric", $"best (step {o.BestStep})", "final"], rows, css: "metrics")
            + Facts([
                ("collapsed", (o.Collapsed ? "best evaluation predicted one class" : "no") + (o.FinalCollapsed ? "; final evaluation predicted one class" : "") + CollapseOnset(o, trial.Curve)),
                ("stopped early", o.StoppedAtStep is { } at ? $"at step {at} (its best evaluation so far is its result)" : "no"),
                ("achieved keep", Percent(o.AchievedKeepFraction)),
                ("mask size", o.MaskBytes > 0 ? Bytes(o.MaskBytes) + " (1 bit per masked weight)" : "none (dense)"),
                ("steps", o.Steps.ToString(CultureInfo.InvariantCulture) + (o.ResumedFromStep > 0 ? $" (resumed from step {o.ResumedFromStep})" : "")),
                ("time", $"{Number(o.WallSeconds, "F1")} s ({Number(o.TrainingSeconds, "F1")} s training, {Number(o.EvaluationSeconds, "F1")} s evaluating)"),
                ("tokens/s", Number(o.TokensPerSecond, "F0")),
            ]);
    }

    // Whether the masks were still moving when the trial collapsed, or had settled on masks that cannot tell the classes apart.
    // The first evaluation's churn is measured against the start, when every weight was kept.
    private static string CollapseOnset(TrialOutcome o, IReadOnlyList<EvaluationPoint> curve) => o.CollapsedAtStep is { } step
        ? $"; first at the evaluation at step {step}" + (o.ChurnAtCollapse is { } churn
            ? $", when {Percent(churn)} of the mask bits had changed since {(curve.Count > 0 && curve[0].Step == step ? "the start (every weight kept)" : "the evaluation before")}"
            : "")
        : "";

    /// <summary>The curves' address carries the step and the evaluations so far, so the browser fetches them again as they grow.</summary>
    private static string Curves(TrialStatus trial, TrialFiles? files, string href)
    {
        var trace = TrialFiles.TraceOf(trial, files?.Result);
        if (trace.Count == 0 && trial.Curve.Count == 0)
            return trial.State == TrialState.Reused && files?.Result is null ? "<p>Reused from the artefact store; its curves are not on this silo.</p>" : "<p>No curves yet.</p>";
        var version = $"{trace.LastOrDefault()?.Step ?? 0}-{trial.Curve.Count}-{trial.State.ToString().ToLowerInvariant()}";
        return $"<img class=\"plot\" src=\"{href}/curves.svg?v={version}\" alt=\"training loss, keep fraction and dev metrics by step\">";
    }

    private static string History(TrialStatus trial)
    {
        if (trial.History.Count == 0) return trial.State == TrialState.Reused ? "<p>Reused: a finished result from the artefact store; no attempt in this sweep.</p>" : "<p>Not started yet.</p>";
        var rows = trial.History.Select(a => (IEnumerable<string>)[a.Number.ToString(CultureInfo.InvariantCulture), E(a.Silo ?? "–"), E(a.Device ?? "–"),
            Time(a.StartedAt), Time(a.EndedAt), Ending(a.Ending)]);
        return Table(["attempt", "silo", "device", "started", "ended", "how it ended"], rows, css: "history");
    }

    /// <summary>Failures and losses read as problems; a normal end does not.</summary>
    private static string Ending(string? ending) => ending switch
    {
        null => "<span class=\"chip running\">running</span>",
        _ when AttemptFaults.IsTrouble(ending) => $"<span class=\"reason\">{E(ending)}</span>",
        _ => $"<span class=\"ending\">{E(ending)}</span>",
    };

    // The pruned model, exported when asked for (sweep export's formats); only where the store is visible and the trial is done.
    private static string Downloads(TrialStatus trial, TrialFiles? files, string href)
    {
        if (files?.Result is null) return "";
        var links = new[] { (ExportFormat.HuggingFace, "Hugging Face folder"), (ExportFormat.Onnx, "ONNX") }
            .Select(f => (Href: TrialExportDownload.Href(href, trial, f.Item1), Label: f.Item2))
            .Where(l => l.Href is not null)
            .Select(l => $"<a class=\"download\" href=\"{E(l.Href!)}\" download>{E(l.Label)} (zip)</a>");
        return $"<p>Export the pruned model: {string.Join(" · ", links)}</p>";
    }

    private static string Files(TrialFiles? files)
    {
        if (files is null) return "<p>The artefact store is not visible from here.</p>";
        if (files.Files.Count == 0) return $"<p>Nothing in <code>{E(files.Folder)}</code> yet.</p>";
        var rows = files.Files.Select(f => (IEnumerable<string>)[$"<code>{E(Path.GetRelativePath(files.Folder, f.FullName))}</code>", Bytes(f.Length), Time(f.LastWriteTimeUtc)]);
        return $"<p><code>{E(files.Folder)}</code></p>" + Table(["file", "size", "written"], rows, css: "files");
    }
}
