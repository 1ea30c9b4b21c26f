namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A validated, expanded grid: every trial to run, what each needs, and the sweep's limits.</summary>
/// <param name="SourceText">The grid file's text, kept with the sweep for reproducibility.</param>
/// <param name="MaxConcurrentTrials">At most this many trials run at once (0: as many as there are free slots).</param>
/// <param name="RetryLimit">A failing trial is retried this many times before it is marked failed.</param>
/// <param name="Select">Which evaluation of each trial the results show: the best (default) or the final one.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SweepSpec")]
public sealed record SweepSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string SourceFile,
    [property: Id(2)] string SourceText,
    [property: Id(3)] IReadOnlyList<TrialSpec> Trials,
    [property: Id(4)] ResourceSpec Resources,
    [property: Id(5)] int MaxConcurrentTrials,
    [property: Id(6)] int RetryLimit,
    [property: Id(7)] MetricSelection Select = MetricSelection.Best)
{
    /// <summary>Early stopping of the sweep's trials (null: every trial runs to its end).</summary>
    [Id(8)] public EarlyStoppingSpec? EarlyStopping { get; init; }

    /// <summary>A model-based search whose points the sweep proposes as slots free (null: every trial is in <see cref="Trials"/> from the start).</summary>
    [Id(9)] public SearchPlan? Search { get; init; }

    /// <summary>The trials as submitted: a grid's every trial; a model-based search's base trials (each point varies their sampled settings).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<TrialSpec> SubmittedTrials => Search?.BaseTrials ?? Trials;

    /// <summary>Trials once every point of a search is proposed; a grid's count.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int PlannedTrials => Search?.PlannedTrials ?? Trials.Count;
}
