namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// One training setting a model-based search samples, as the grid gave its distribution: <paramref name="Kind"/> is
/// the grid's name (uniform, log_uniform, int_uniform, choice), <paramref name="Choices"/> the values of a choice.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.SearchedSetting")]
public sealed record SearchedSetting(
    [property: Id(0)] string Key,
    [property: Id(1)] string Kind,
    [property: Id(2)] double Low,
    [property: Id(3)] double High,
    [property: Id(4)] IReadOnlyList<double> Choices);
