namespace Sweeps.Search;

/// <summary>
/// A trial as a sampler sees it: the value of each sampled setting, and the loss to minimise once it has one (null
/// while it runs). A sweep that maximises a metric gives its negative.
/// </summary>
public sealed record SearchTrial(IReadOnlyDictionary<string, double> Settings, double? Loss)
{
    public bool IsFinished => Loss is not null;
}
