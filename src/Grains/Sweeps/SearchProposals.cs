using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Search;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// A model-based search's points as plain C#: each point proposed from every point before it (finished ones with
/// their losses, running ones without), its trials the plan's base trials with the point's values. A point's loss for
/// each objective (<see cref="SearchObjective"/>; by default the task's primary metric under the sweep's <c>select</c>,
/// maximised) is its mean over the point's pruned trials (its dense ones too in a search of dense alone); a point with
/// a trial that failed or was cancelled, or that lacks the metric, counts as the worst.
/// A point equal to one already proposed is drawn again with another seed; after <see cref="MaxRepeats"/> such draws
/// in a row the space is taken as exhausted and the search ends early.
/// </summary>
public sealed class SearchProposals
{
    public const int MaxRepeats = 20;

    private readonly SearchPlan plan;
    private readonly SearchSpace space;
    private readonly MetricSelection select;
    private readonly IReadOnlyList<SearchObjective> objectives;
    private readonly List<Point> points = [];
    private readonly Dictionary<string, (Point Point, int Position)> trialPoint = [];

    public SearchProposals(SearchPlan plan, MetricSelection select)
    {
        this.plan = plan;
        this.select = select;
        objectives = plan.ObjectivesOrDefault;
        space = new SearchSpace(plan.Settings.Select(s => new KeyValuePair<string, Distribution>(s.Key, DistributionOf(s))));
    }

    /// <summary>Points proposed so far.</summary>
    public int Count => points.Count;

    /// <summary>Every draw of the last proposal repeated an earlier point: the space has no new point left to find.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>More points are to be proposed.</summary>
    public bool HasMore => !Exhausted && points.Count < plan.Samples;

    /// <summary>Trials when every point is proposed (fewer when the space was exhausted first).</summary>
    public int PlannedTrials(int proposedTrials) => HasMore ? proposedTrials + (plan.Samples - points.Count) * plan.BaseTrials.Count : proposedTrials;

    /// <summary>The values of point <paramref name="index"/>.</summary>
    public IReadOnlyDictionary<string, double> ValuesOf(int index) => points[index].Values;

    /// <summary>
    /// A point proposed before the sweep restarted, from its stored values: its trials (the same ids as when first
    /// proposed, the values being what they hash). Points are restored in the order they were proposed.
    /// </summary>
    public IReadOnlyList<TrialSpec> Restore(IReadOnlyDictionary<string, double> values) => Add(values);

    /// <summary>The next point's trials, in the base trials' order; null when the space is exhausted.</summary>
    public IReadOnlyList<TrialSpec>? Propose()
    {
        var history = points.Select(p => p.AsSearchTrial()).ToList();
        for (var repeat = 0; repeat < MaxRepeats; repeat++)
        {
            var values = Sampler(repeat).Next(history);
            if (points.Any(p => SameValues(p.Values, values))) continue;
            return Add(values);
        }
        Exhausted = true;
        return null;
    }

    /// <summary>A trial of a point has its result (called once per trial).</summary>
    public void Resulted(string trialId, TrialOutcome outcome)
    {
        if (trialPoint.TryGetValue(trialId, out var at)) at.Point.Losses[at.Position] = objectives.Select(o => o.LossOf(outcome, select)).ToArray();
    }

    /// <summary>A trial of a point ended without a result (failed, or cancelled).</summary>
    public void Failed(string trialId)
    {
        if (trialPoint.TryGetValue(trialId, out var at)) at.Point.Failed = true;
    }

    /// <summary>The search's settings as the sampler's distributions.</summary>
    public static Distribution DistributionOf(SearchedSetting setting) =>
        new(Distribution.Names.TryGetValue(setting.Kind, out var kind) ? kind : throw new ArgumentException($"{setting.Key}: unknown distribution {setting.Kind}"),
            setting.Low, setting.High, setting.Choices);

    private IReadOnlyList<TrialSpec> Add(IReadOnlyDictionary<string, double> values)
    {
        var trials = plan.TrialsAt(values);
        // The objective reads the pruned trials; a search of dense trials alone reads them all.
        var objective = trials.Select((t, i) => (t, i)).Where(x => x.t.Method != "dense").Select(x => x.i).ToList();
        if (objective.Count == 0) objective = Enumerable.Range(0, trials.Count).ToList();
        var point = new Point(values, new double[]?[trials.Count], objective);
        points.Add(point);
        for (var i = 0; i < trials.Count; i++) trialPoint.TryAdd(trials[i].Id, (point, i));
        return trials;
    }

    private ISearchSampler Sampler(int repeat)
    {
        // A repeated draw asks again under another seed: still a function of the seed and the points before it.
        var seed = unchecked(plan.Seed + repeat * 1_000_033);
        return plan.Method switch
        {
            "tpe" => new TpeSampler(space, seed, new TpeOptions(StartupTrials: plan.Startup)),
            "random" => new RandomSampler(space, seed),
            "sobol" => new SobolSampler(space, seed),
            _ => throw new InvalidOperationException($"unknown search method {plan.Method}"),
        };
    }

    private static bool SameValues(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private sealed class Point(IReadOnlyDictionary<string, double> values, double[]?[] losses, IReadOnlyList<int> objective)
    {
        public IReadOnlyDictionary<string, double> Values { get; } = values;
        /// <summary>Each trial's losses (one per objective) once it has a result, by its position among the point's trials.</summary>
        public double[]?[] Losses { get; } = losses;
        public bool Failed { get; set; }

        public SearchTrial AsSearchTrial()
        {
            if (Failed) return new SearchTrial(Values, double.PositiveInfinity);
            if (objective.Any(i => Losses[i] is null)) return new SearchTrial(Values, null);
            var means = Enumerable.Range(0, Losses[objective[0]]!.Length).Select(k => objective.Average(i => Losses[i]![k])).ToArray();
            // A trial without the metric asked for (NaN) makes its point the worst, as a failure does.
            if (means.Any(double.IsNaN)) return new SearchTrial(Values, double.PositiveInfinity);
            return SearchTrial.Finished(Values, means);
        }
    }
}
