using Sweeps.Search;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;
using Sweeps.SweepClient.Grids.Search;

namespace Sweeps.SweepClient.Grids;

/// <summary>A grid file read and checked, before expansion: every axis as its list of values.</summary>
public sealed record GridDocument
{
    public required string Name { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<GridTask> Tasks { get; init; }
    public required IReadOnlyList<PruningMethod> Methods { get; init; }
    public required IReadOnlyList<double> Keep { get; init; }
    public required IReadOnlyList<ClassifierMode> Classifiers { get; init; }
    public IReadOnlyList<Precision> Precisions { get; init; } = [Precision.Fp32];
    public required IReadOnlyList<bool> Distill { get; init; }
    public string? TeacherFolder { get; init; }
    public IReadOnlyList<string>? TeacherLabels { get; init; }
    public double DistillTemperature { get; init; } = TrialSettings.DistillationTemperature.Value;
    public double AlphaKd { get; init; } = TrialSettings.AlphaKd.Value;
    public double AlphaCe { get; init; } = TrialSettings.AlphaCe.Value;

    /// <summary>The methods the distillation modes apply to (null: every method but dense); the others run without a teacher only.</summary>
    public IReadOnlyList<PruningMethod>? DistilledMethods { get; init; }
    public required IReadOnlyList<int> Seeds { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<double?>> Training { get; init; }

    /// <summary>Training settings given as distributions, by key: each sample of <see cref="Search"/> sets them.</summary>
    public IReadOnlyDictionary<string, Distribution> Distributions { get; init; } = new Dictionary<string, Distribution>();

    public SearchSpec Search { get; init; } = SearchSpec.Grid;

    /// <summary>What a model-based search judges its points by (null: the primary metric, maximised).</summary>
    public IReadOnlyList<SearchObjective>? Objectives { get; init; }

    /// <summary>ASHA over the trials' dev evaluations (null: every trial runs to its end).</summary>
    public EarlyStoppingSpec? EarlyStopping { get; init; }
    public string Pool { get; init; } = "default";
    public int DevicesPerTrial { get; init; } = 1;

    /// <summary>Each trial's memory cap in bytes (<c>resources.memory</c>); null: the silo's default.</summary>
    public long? MemoryPerTrial { get; init; }
    public int MaxConcurrentTrials { get; init; }
    public int RetryLimit { get; init; } = 2;
    public MetricSelection Select { get; init; } = MetricSelection.Best;
    public IReadOnlyList<GridOverride> Overrides { get; init; } = [];
}
