namespace Sweeps.Pruning.Smp;

/// <summary>How a trial reaches its keep fraction. SMP freezes the weights; the baselines fine-tune them.</summary>
public enum PruningMethod
{
    /// <summary>Dense fine-tuning: no masks; the teacher and the 100% reference.</summary>
    Dense,
    /// <summary>Zero-order: keep the top-k weights by |W| (gradual, on the cubic schedule) while fine-tuning them.</summary>
    Magnitude,
    /// <summary>First-order, with fine-tuning: local top-k on learned scores, weights trained too.</summary>
    Movement,
    /// <summary>SMP-L: local top-k on learned scores per matrix; weights frozen.</summary>
    SmpLocal,
    /// <summary>SMP-S: keep fraction allocated across layers by the mean sigmoid of the scores; weights frozen.</summary>
    SmpScoreAllocated,
}

public static class PruningMethodFacts
{
    public static bool UsesScores(this PruningMethod method) => method is PruningMethod.Movement or PruningMethod.SmpLocal or PruningMethod.SmpScoreAllocated;

    public static bool TrainsWeights(this PruningMethod method) => method is PruningMethod.Dense or PruningMethod.Magnitude or PruningMethod.Movement;

    public static bool UsesRegularizer(this PruningMethod method) => method is PruningMethod.SmpLocal or PruningMethod.SmpScoreAllocated;

    public static bool Masks(this PruningMethod method) => method != PruningMethod.Dense;

    /// <summary>The names grids and tables use: dense, magnitude, movement, smp-l, smp-s.</summary>
    public static string ToName(this PruningMethod method) => method switch
    {
        PruningMethod.Dense => "dense",
        PruningMethod.Magnitude => "magnitude",
        PruningMethod.Movement => "movement",
        PruningMethod.SmpLocal => "smp-l",
        PruningMethod.SmpScoreAllocated => "smp-s",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Every method's name, in words: "dense, magnitude, movement, smp-l or smp-s".</summary>
    public static string Expected { get; } = Words(Enum.GetValues<PruningMethod>().Select(m => m.ToName()).ToList());

    /// <summary>The methods that prune ("magnitude, movement, smp-l or smp-s"): what a student may be.</summary>
    public static string ExpectedPruning { get; } = Words(Enum.GetValues<PruningMethod>().Where(m => m.Masks()).Select(m => m.ToName()).ToList());

    private static string Words(IReadOnlyList<string> names) => string.Join(", ", names.SkipLast(1)) + " or " + names[^1];

    public static PruningMethod Parse(string name) => name.ToLowerInvariant() switch
    {
        "dense" => PruningMethod.Dense,
        "magnitude" => PruningMethod.Magnitude,
        "movement" => PruningMethod.Movement,
        "smp-l" => PruningMethod.SmpLocal,
        "smp-s" => PruningMethod.SmpScoreAllocated,
        _ => throw new ArgumentException($"unknown method '{name}', expected {Expected}"),
    };
}
