using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Asynchronous successive halving in its stopping form (as Ray Tune's ASHA runs it): the rungs lie at grace × η^k
/// steps; the first evaluation a trial reports at or past a rung is its value there, and it goes on only if that
/// value is not worse than the (1 − 1/η) quantile of the values other trials recorded at the rung before it — the
/// first to arrive always goes on, so no trial waits for a slower one. Rungs are kept per bracket, the trial's task
/// and target keep fraction: a trial is ranked only against trials pruned to the same sparsity, and only on
/// evaluations, which the engine makes once the keep fraction has reached its target (always at it). A collapsed
/// evaluation (every dev prediction one class) is not ranked: its metric is the class prior, not what the trial learned
/// (on a 72/28 task a trial stuck on the minority class scores 0.28 and one stuck on the majority 0.72, and either may
/// learn later: SMP trials at small budgets often leave the majority class late), so it neither stops the trial by its
/// value nor sets the cutoff for others. Plain C#: <see cref="SweepLedger"/> feeds it and the tests script it.
/// <para>
/// On a front (a search whose objectives are the metric and the keep fraction, which it samples): a bracket is the
/// task alone, and a trial goes on at a rung unless at least the (1 − 1/η) share of the trials recorded there before it
/// dominate it — as good or better on the metric at a keep fraction as small or smaller, and better on one. A small
/// model scoring less is then not stopped for a larger one scoring more.
/// </para>
/// </summary>
/// <param name="front">Rank on the front of the metric and the keep fraction (minimised) rather than on the metric alone.</param>
public sealed class AshaRule(EarlyStoppingSpec spec, bool front = false)
{
    private readonly IReadOnlyList<int> rungs = spec.Rungs();
    /// <summary>Bracket → rung index → trial → value recorded there, with the trial's keep fraction.</summary>
    private readonly Dictionary<(string Task, double Keep), Dictionary<int, Dictionary<string, (double Value, double Keep)>>> recorded = [];
    /// <summary>Trial → the rungs it has passed.</summary>
    private readonly Dictionary<string, int> passed = [];

    public EarlyStoppingSpec Spec => spec;

    /// <summary>
    /// A trial's evaluation: true when it is to stop now — below the rung's cutoff, or, with
    /// <see cref="EarlyStoppingSpec.StopCollapsed"/>, collapsed at its first rung where a trial of its bracket has
    /// already reached that rung without collapsing (proof that learning by then is possible; while every trial is
    /// still collapsed, nothing is known yet). Evaluations between rungs, repeated ones and those of a trial already
    /// past every rung change nothing.
    /// </summary>
    public bool ShouldStop(TrialSpec trial, EvaluationPoint evaluation)
    {
        var next = passed.GetValueOrDefault(trial.Id);
        if (next >= rungs.Count || evaluation.Step < rungs[next]) return false;
        // An evaluation past several rungs at once (a long eval interval) counts at the highest of them.
        var rung = next;
        while (rung + 1 < rungs.Count && evaluation.Step >= rungs[rung + 1]) rung++;
        passed[trial.Id] = rung + 1;
        var key = (trial.Task, front ? double.NaN : trial.Keep);
        var bracket = recorded.TryGetValue(key, out var found) ? found : recorded[key] = [];
        var atRung = bracket.TryGetValue(rung, out var values) ? values : bracket[rung] = [];
        if (evaluation.Collapsed) return spec.StopCollapsed && next == 0 && atRung.Count > 0;
        var value = Value(trial, evaluation);
        if (value is null) return false;
        var before = atRung.Values.ToList();
        atRung[trial.Id] = (value.Value, trial.Keep);
        if (front) return before.Count > 0 && before.Count(o => Dominates(o, (value.Value, trial.Keep))) >= Math.Ceiling((1 - 1.0 / spec.ReductionFactor) * before.Count);
        var cutoff = Cutoff(before.Select(o => o.Value).ToList());
        return cutoff is { } c && (spec.Maximize ? value < c : value > c);
    }

    /// <summary>No worse on the metric at a keep fraction no larger, and better on one of them.</summary>
    private bool Dominates((double Value, double Keep) a, (double Value, double Keep) b)
    {
        var (aValue, bValue) = spec.Maximize ? (a.Value, b.Value) : (-a.Value, -b.Value);
        return aValue >= bValue && a.Keep <= b.Keep && (aValue > bValue || a.Keep < b.Keep);
    }

    /// <summary>A trial seen again after a restart of its sweep: the rungs it passed before, from its curve.</summary>
    public void Replay(TrialSpec trial, IEnumerable<EvaluationPoint> curve)
    {
        foreach (var point in curve.OrderBy(p => p.Step)) ShouldStop(trial, point);
    }

    private double? Value(TrialSpec trial, EvaluationPoint evaluation) =>
        spec.Metric is { } name ? evaluation.Metric(name) : evaluation.Metrics.Count > 0 ? evaluation.Metrics[0].Value : null;

    /// <summary>The value a trial must reach at a rung: the (1 − 1/η) quantile (linear interpolation) of the values recorded there, or the 1/η quantile when lower is better.</summary>
    private double? Cutoff(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var q = spec.Maximize ? 1 - 1.0 / spec.ReductionFactor : 1.0 / spec.ReductionFactor;
        var position = q * (values.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(values.Count - 1, low + 1);
        return values[low] + (values[high] - values[low]) * (position - low);
    }
}
