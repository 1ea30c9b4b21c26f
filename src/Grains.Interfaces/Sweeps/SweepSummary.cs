namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A line of `sweep list`.</summary>
/// <param name="Owner">Who submitted it (see <see cref="SweepStatus.Owner"/>).</param>
[GenerateSerializer, Immutable, Alias("sweeps.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] int Trials,
    [property: Id(4)] string Owner = "");
