using Sweeps.Grains.Sweeps;

namespace Sweeps.Grains.Storage.Trials;

/// <summary>What a store holds of one sweep: whether it was cancelled, each trial's record and the evaluation log in the order written.</summary>
public sealed record StoredTrials(
    bool Cancelled,
    IReadOnlyList<KeyValuePair<string, byte[]>> Records,
    IReadOnlyList<KeyValuePair<string, byte[]>> Evaluations)
{
    public static readonly StoredTrials Empty = new(false, [], []);

    public bool IsEmpty => Records.Count == 0 && !Cancelled;

    /// <summary>
    /// The sweep's state as its ledger keeps it: records decoded, and each unfinished trial's curve rebuilt from the
    /// log (a finished trial's outcome holds its whole curve, so its logged points are not kept twice).
    /// </summary>
    public SweepState Decode()
    {
        var state = new SweepState { Cancelled = Cancelled };
        foreach (var (id, bytes) in Records) state.Trials[id] = TrialRecordCodec.DecodeRecord(bytes);
        foreach (var (id, bytes) in Evaluations)
        {
            if (!state.Trials.TryGetValue(id, out var record) || record.Outcome is { Curve.Count: > 0 }) continue;
            var point = TrialRecordCodec.DecodeEvaluation(bytes);
            if (record.Curve.All(c => c.Step != point.Step)) record.Curve.Add(point);
        }
        return state;
    }
}
