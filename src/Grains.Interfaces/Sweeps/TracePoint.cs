namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A point of a running trial's training trace: the recent loss and the masks' keep fraction at a step.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.TracePoint")]
public sealed record TracePoint(
    [property: Id(0)] int Step,
    [property: Id(1)] double Loss,
    [property: Id(2)] double Keep);
