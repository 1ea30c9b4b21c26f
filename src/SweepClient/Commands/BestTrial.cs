using System.Globalization;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// The trial `sweep export SWEEP --best` exports: among a sweep's finished trials of one task and keep fraction (and
/// method, when given), the one with the highest primary metric (the task's first) at its best evaluation — the
/// evaluation whose masks its artefact holds, whatever the sweep's results select — and a sentence saying why.
/// </summary>
public sealed record BestTrial(TrialSpec Spec, TrialOutcome Outcome, string Reason)
{
    public static BestTrial Choose(SweepStatus sweep, string task, double keep, string? method)
    {
        var matches = sweep.Finished
            .Where(t => string.Equals(t.Spec.Task, task, StringComparison.OrdinalIgnoreCase) && Math.Abs(t.Spec.Keep - keep) < 1e-9)
            .Where(t => method is null || string.Equals(t.Spec.Method, method, StringComparison.OrdinalIgnoreCase))
            .Where(t => t.Outcome.Metrics.Count > 0)
            .ToList();
        if (matches.Count == 0)
        {
            var cells = sweep.Finished.Select(t => $"{t.Spec.Task} keep {Number(t.Spec.Keep)} {t.Spec.Method}").Distinct().Order(StringComparer.Ordinal);
            throw new ArgumentException(
                $"sweep {sweep.SweepId} has no finished trial of task '{task}' at keep {Number(keep)}{(method is null ? "" : $" with method '{method}'")}; "
                + $"its finished cells: {(cells.Any() ? string.Join(", ", cells) : "none")}");
        }

        var metric = matches[0].Outcome.Metrics[0].Key;
        double Score(TrialOutcome outcome) => outcome.Metrics.FirstOrDefault(m => m.Key == metric).Value;
        // Highest score first; equal scores go to the lower seed, then the id, so the choice never depends on order.
        var ranked = matches.OrderByDescending(t => Score(t.Outcome)).ThenBy(t => t.Spec.Seed).ThenBy(t => t.Spec.Id, StringComparer.Ordinal).ToList();
        var (spec, outcome) = ranked[0];
        var reason = matches.Count == 1
            ? $"trial {spec.Id} ({spec.Method}, seed {spec.Seed}) is the only finished trial of {task} at keep {Number(keep)}"
            : $"{matches.Count} trials match ({string.Join(", ", matches.Select(m => m.Spec.Method).Distinct())}; seeds "
              + $"{string.Join(", ", matches.Select(m => m.Spec.Seed).Distinct().Order())}); chose trial {spec.Id} ({spec.Method}, seed {spec.Seed}), "
              + $"the highest dev {metric} at its best evaluation ({Number(Score(outcome))}, the next {Number(Score(ranked[1].Outcome))})";
        return new BestTrial(spec, outcome, reason);
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
