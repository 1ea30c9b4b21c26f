namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A validated, expanded grid: every trial to run, what each needs, and the sweep's limits.</summary>
/// <param name="SourceText">The grid file's text, kept with the sweep for reproducibility.</param>
/// <param name="MaxConcurrentTrials">At most this many trials run at once (0: as many as there are free slots).</param>
/// <param name="RetryLimit">A failing trial is retried this many times before it is marked failed.</param>
public sealed record SweepSpec(
    string Name,
    string SourceFile,
    string SourceText,
    IReadOnlyList<TrialSpec> Trials,
    ResourceSpec Resources,
    int MaxConcurrentTrials,
    int RetryLimit);
