namespace Sweeps.Grains.Interfaces.Results;

/// <summary>
/// One cell of a sweep's results: the finished trials of one task, method, distillation setting and keep fraction that
/// differ only in their seed, summarised per metric over those seeds.
/// </summary>
/// <param name="Varied">
/// What sets this cell apart from others of the same task, method, distillation and keep, as (setting, value) pairs (an
/// axis such as <c>epochs 3</c>, or a search's sampled <c>score_lr 0.0123</c>); empty when nothing does.
/// </param>
/// <param name="Metrics">Each of the task's metrics (the primary one first) over the seeds.</param>
/// <param name="AchievedKeep">The keep fraction the seeds' masks achieved, over the seeds (the target is <paramref name="Keep"/>).</param>
/// <param name="Collapsed">How many of the seeds predicted one class for every dev example.</param>
/// <param name="TrialIds">The trials summarised, in seed order.</param>
[GenerateSerializer, Immutable, Alias("sweeps.ResultCell")]
public sealed record ResultCell(
    [property: Id(0)] string Task,
    [property: Id(1)] string Method,
    [property: Id(2)] bool Distilled,
    [property: Id(3)] double Keep,
    [property: Id(4)] IReadOnlyList<KeyValuePair<string, string>> Varied,
    [property: Id(5)] IReadOnlyList<KeyValuePair<string, SeedStatistics>> Metrics,
    [property: Id(6)] SeedStatistics AchievedKeep,
    [property: Id(7)] int Collapsed,
    [property: Id(8)] IReadOnlyList<string> TrialIds)
{
    /// <summary>How many of the seeds were stopped early by the sweep's early-stopping rule (their best evaluation is their result).</summary>
    [Id(9)] public int Stopped { get; init; }

    /// <summary><see cref="Varied"/> as one label: "epochs 3, seed_lr 0.01".</summary>
    public string Settings => string.Join(", ", Varied.Select(v => $"{v.Key} {v.Value}"));

    /// <summary>The number of seeds.</summary>
    public int N => Metrics.Count > 0 ? Metrics[0].Value.N : 0;

    /// <summary>The method as the paper labels a row: "smp-s", "smp-s + KD".</summary>
    public string MethodLabel => Method + (Distilled ? " + KD" : "");

    /// <summary>The row of the paper-style table this cell sits in: the method label and, where needed, its settings.</summary>
    public string Row => Settings.Length == 0 ? MethodLabel : $"{MethodLabel} ({Settings})";

    public SeedStatistics? Metric(string name) => Metrics.FirstOrDefault(m => m.Key == name).Value;
}
