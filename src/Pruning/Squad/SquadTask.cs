using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Squad;

/// <summary>SQuAD v1.1 as a trial task: the official train and dev files of a data folder, scored by exact match and F1.</summary>
public sealed record SquadTask(IReadOnlyList<SquadExample> Train, IReadOnlyList<SquadExample> Dev) : ITrialTask
{
    public const string TaskName = "squad";
    public const string TrainFileName = "train-v1.1.json";
    public const string DevFileName = "dev-v1.1.json";

    /// <summary>The dev metrics, in the order the paper reports them.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["exact_match", "f1"];

    public string Name => TaskName;

    public IReadOnlyList<string> LabelWords { get; init; } = LabelWordSpanHead.DefaultLabelWords;

    /// <summary>Reads train-v1.1.json and dev-v1.1.json from <paramref name="folder"/>.</summary>
    public static SquadTask Read(string folder)
    {
        var missing = new[] { TrainFileName, DevFileName }.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
            throw new DataFormatException(folder, null, $"the SQuAD folder lacks {string.Join(" and ", missing)} (the official SQuAD v1.1 files are expected)");
        return new SquadTask(SquadFile.Load(Path.Combine(folder, TrainFileName)), SquadFile.Load(Path.Combine(folder, DevFileName)));
    }
}
