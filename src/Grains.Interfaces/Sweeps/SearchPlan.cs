using System.Text.Json.Serialization;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// A model-based search (<c>search: {method: tpe, …}</c>): the sweep proposes its points one at a time as slots free,
/// each from the results so far, instead of drawing them all at submission. A point gives every sampled setting a
/// value; its trials are the <paramref name="BaseTrials"/> (the grid's list axes crossed, teachers included) with
/// those values.
/// </summary>
/// <param name="Method">The sampler: tpe.</param>
/// <param name="Samples">Points to propose, at most.</param>
/// <param name="Seed">The sampler's seed: the same seed and the same results give the same points.</param>
/// <param name="Startup">Points drawn at random before the model is used (TPE's n_startup_trials).</param>
/// <param name="BaseTrials">One point's trials, their sampled settings at placeholder values; a student's teacher is among them.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SearchPlan")]
public sealed record SearchPlan(
    [property: Id(0)] string Method,
    [property: Id(1)] int Samples,
    [property: Id(2)] int Seed,
    [property: Id(3)] int Startup,
    [property: Id(4)] IReadOnlyList<SearchedSetting> Settings,
    [property: Id(5)] IReadOnlyList<TrialSpec> BaseTrials)
{
    /// <summary>What a point is judged by: one objective (null: each task's primary metric, maximised), or several, whose Pareto front the search looks for.</summary>
    [Id(6)] public IReadOnlyList<SearchObjective>? Objectives { get; init; }

    /// <summary>The objectives, the default one where none is given.</summary>
    [JsonIgnore]
    public IReadOnlyList<SearchObjective> ObjectivesOrDefault => Objectives is { Count: > 0 } given ? given : [SearchObjective.PrimaryMetric];

    /// <summary>The grid key of a sampled keep fraction (the others are training settings).</summary>
    public const string KeepKey = "keep";

    /// <summary>Trials when every point is proposed.</summary>
    [JsonIgnore]
    public int PlannedTrials => Samples * BaseTrials.Count;

    /// <summary>
    /// A point's trials: the base trials with <paramref name="values"/> (by grid key), each student distilled from its
    /// teacher with the same values — the trials the grid would expand for that point.
    /// </summary>
    public IReadOnlyList<TrialSpec> TrialsAt(IReadOnlyDictionary<string, double> values)
    {
        var ids = new Dictionary<string, string>();
        var trials = new List<TrialSpec>(BaseTrials.Count);
        // A teacher comes before its students in the base trials, as the grid expands them.
        var training = values.Where(v => v.Key != KeepKey).ToDictionary();
        foreach (var baseTrial in BaseTrials)
        {
            var trial = baseTrial with { Training = TrainingSettingValues.With(baseTrial.Training, training) };
            // A sampled keep fraction is the pruned trials'; a dense trial (a teacher) keeps every weight.
            if (values.TryGetValue(KeepKey, out var keep) && trial.Method != "dense") trial = trial with { Keep = keep };
            if (trial.Distillation is { TeacherTrialId: { } teacher } kd)
                trial = trial with { Distillation = kd with { TeacherTrialId = ids[teacher] } };
            ids[baseTrial.Id] = trial.Id;
            trials.Add(trial);
        }
        return trials;
    }

    /// <summary>What makes the search what it is, as text: a sweep's id hashes it with the base trials' ids.</summary>
    public string Canonical() => string.Join(';', [Method, Samples.ToString(), Seed.ToString(), Startup.ToString(),
        .. Settings.Select(s => FormattableString.Invariant($"{s.Key}:{s.Kind}:{s.Low:R}:{s.High:R}:{string.Join(',', s.Choices.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}")),
        .. (Objectives ?? []).Select(o => o.ToString())]);
}
