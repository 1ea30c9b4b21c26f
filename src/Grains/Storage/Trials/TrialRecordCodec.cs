using System.Text.Json;
using System.Text.Json.Serialization;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;

namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// The stored form of trial records and evaluation points: UTF-8 JSON without type names, defaults left out (a trial's
/// record is a few hundred bytes; a point, tens). A record is stored without its curve, which lives in the evaluation log.
/// </summary>
public static class TrialRecordCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Encode(TrialRecord record) => JsonSerializer.SerializeToUtf8Bytes(Stored.Of(record), Options);

    public static TrialRecord DecodeRecord(byte[] bytes) => (JsonSerializer.Deserialize<Stored>(bytes, Options) ?? throw Empty()).ToRecord();

    public static byte[] Encode(EvaluationPoint point) => JsonSerializer.SerializeToUtf8Bytes(point, Options);

    public static EvaluationPoint DecodeEvaluation(byte[] bytes) => JsonSerializer.Deserialize<EvaluationPoint>(bytes, Options) ?? throw Empty();

    private static JsonException Empty() => new("a stored trial record or evaluation is empty");

    /// <summary>A record's stored fields: everything but its curve.</summary>
    private sealed record Stored(
        TrialState State, int Attempts, int Failures, string? Silo, string? Device, TrialOutcome? Outcome, string? Error,
        DateTimeOffset? NotBefore, IReadOnlyList<TrialAttempt>? History, int? Point = null, Dictionary<string, double>? Sampled = null)
    {
        public static Stored Of(TrialRecord r) =>
            new(r.State, r.Attempts, r.Failures, r.Silo, r.Device, r.Outcome, r.Error, r.NotBefore, r.History.Count > 0 ? r.History : null, r.Point, r.Sampled);

        public TrialRecord ToRecord() => new()
        {
            State = State, Attempts = Attempts, Failures = Failures, Silo = Silo, Device = Device, Outcome = Outcome, Error = Error,
            NotBefore = NotBefore, History = History?.ToList() ?? [], Point = Point, Sampled = Sampled,
        };
    }
}
