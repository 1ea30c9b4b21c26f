namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>One page of a sweep's trials: <see cref="Matching"/> trials answer the query, these are from <see cref="Offset"/>.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.TrialListing")]
public sealed record TrialListing(
    [property: Id(0)] int Matching,
    [property: Id(1)] int Offset,
    [property: Id(2)] IReadOnlyList<TrialStatus> Trials)
{
    /// <summary>True when trials after this page answer the query too.</summary>
    public bool HasMore => Offset + Trials.Count < Matching;
}
