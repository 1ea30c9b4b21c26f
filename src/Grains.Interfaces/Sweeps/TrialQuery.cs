namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// Which of a sweep's trials to read, in grid order: those in <see cref="States"/> (every state when null), or the
/// trials named in <see cref="Ids"/>; <see cref="Limit"/> of them from <see cref="Offset"/>. A page costs the same
/// whatever the sweep's size.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.TrialQuery")]
public sealed record TrialQuery(
    [property: Id(0)] int Offset = 0,
    [property: Id(1)] int Limit = TrialQuery.DefaultLimit,
    [property: Id(2)] IReadOnlyList<TrialState>? States = null,
    [property: Id(3)] IReadOnlyList<string>? Ids = null)
{
    public const int DefaultLimit = 100;

    /// <summary>The most trials one page holds; a larger limit is read as this.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The trials with these ids (those the sweep has), in grid order.</summary>
    public static TrialQuery ById(params string[] ids) => new(0, Math.Min(ids.Length, MaxLimit), Ids: ids);
}
