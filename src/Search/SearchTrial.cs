namespace Sweeps.Search;

/// <summary>
/// A trial as a sampler sees it: the value of each sampled setting, and the loss to minimise once it has one (null
/// while it runs). A sweep that maximises a metric gives its negative.
/// </summary>
public sealed record SearchTrial(IReadOnlyDictionary<string, double> Settings, double? Loss)
{
    /// <summary>A multi-objective search's losses, each minimised (null: one objective, <see cref="Loss"/>); <see cref="Loss"/> is then the first.</summary>
    public IReadOnlyList<double>? Losses { get; init; }

    public bool IsFinished => Loss is not null;

    /// <summary>A finished trial of several objectives.</summary>
    public static SearchTrial Finished(IReadOnlyDictionary<string, double> settings, IReadOnlyList<double> losses) =>
        new(settings, losses[0]) { Losses = losses.Count > 1 ? losses : null };
}
