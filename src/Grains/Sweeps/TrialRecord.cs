using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>A trial's durable state inside its sweep.</summary>
[GenerateSerializer, Alias("sweeps.TrialRecord")]
public sealed class TrialRecord
{
    [Id(0)] public TrialState State { get; set; }

    /// <summary>Attempts started (placements, including resumptions after a silo loss).</summary>
    [Id(1)] public int Attempts { get; set; }

    /// <summary>Attempts that failed with an error (counted against the retry limit).</summary>
    [Id(2)] public int Failures { get; set; }

    [Id(3)] public string? Silo { get; set; }

    [Id(4)] public string? Device { get; set; }

    [Id(5)] public TrialOutcome? Outcome { get; set; }

    [Id(6)] public string? Error { get; set; }

    /// <summary>A queued trial waiting out its retry back-off is not dispatched before this time.</summary>
    [Id(7)] public DateTimeOffset? NotBefore { get; set; }

    /// <summary>The dev evaluations reported while it trained, every attempt's, by step.</summary>
    [Id(8)] public List<EvaluationPoint> Curve { get; set; } = [];

    /// <summary>Its attempts, first to last (the last is open while it runs).</summary>
    [Id(9)] public List<TrialAttempt> History { get; set; } = [];

    /// <summary>The model-based search's point this trial belongs to, in the order points were proposed (null: a grid's trial).</summary>
    [Id(10)] public int? Point { get; set; }

    /// <summary>The point's values, by grid key: what a restarted sweep rebuilds the point and its trials from.</summary>
    [Id(11)] public Dictionary<string, double>? Sampled { get; set; }

    /// <summary>A copy whose lists are its own (the lifecycle changes the copy, never the record it was given).</summary>
    public TrialRecord Copy()
    {
        var copy = (TrialRecord)MemberwiseClone();
        copy.Curve = [.. Curve];
        copy.History = [.. History];
        return copy;
    }
}
