namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A line of `sweep list`: what the catalog knows of a sweep without asking it.</summary>
/// <param name="Owner">Who submitted it (see <see cref="SweepStatus.Owner"/>).</param>
[GenerateSerializer, Immutable, Alias("sweeps.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] int Trials,
    [property: Id(4)] string Owner = "")
{
    /// <summary>Its trials by state as the sweep last reported them; null where it never did (submitted before sweeps reported them).</summary>
    [Id(5)] public Dictionary<TrialState, int>? Counts { get; init; }

    /// <summary>Its finished trials whose selected evaluation predicted one class, as last reported.</summary>
    [Id(6)] public int Collapsed { get; init; }
}
