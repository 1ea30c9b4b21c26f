using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// One trial's complete configuration. Its id is a hash of everything else, so the same trial submitted twice — in the
/// same grid or another — is recognised and its finished result reused. Paths are real paths (links resolved) and
/// <paramref name="Inputs"/> fingerprints the contents of the model, data and teacher folders, so the same path with
/// other contents is another trial and two spellings of one folder are one.
/// </summary>
/// <param name="Inputs">16 hex digits over what the trial reads (null: not fingerprinted, identified by its paths).</param>
[GenerateSerializer, Immutable, Alias("sweeps.TrialSpec")]
public sealed record TrialSpec(
    [property: Id(0)] string Task,
    [property: Id(1)] string? Data,
    [property: Id(2)] string Model,
    [property: Id(3)] string Method,
    [property: Id(4)] double Keep,
    [property: Id(5)] string Classifier,
    [property: Id(6)] DistillationSpec? Distillation,
    [property: Id(7)] int Seed,
    [property: Id(8)] TrainingSpec Training,
    [property: Id(9)] string Pool,
    // Left out of the id when absent, so trials built without it keep the ids they had.
    [property: Id(10), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Inputs = null,
    // "bf16", or null for fp32: left out of the id then, so fp32 trials keep the ids they had before precision was an axis.
    [property: Id(11), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Precision = null)
{
    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false };

    /// <summary>
    /// Each spec's id once computed (a hash of its JSON costs tens of microseconds, and a sweep of 100,000 trials asks
    /// for ids by the million). Keyed by the object: a record is immutable, and <c>with</c> makes a new one, so an id
    /// can never outlive the settings it was computed from (a field would be copied by <c>with</c>).
    /// </summary>
    private static readonly ConditionalWeakTable<TrialSpec, string> Ids = new();

    /// <summary>16 hex digits of the SHA-256 of the canonical JSON of this configuration.</summary>
    [JsonIgnore]
    public string Id => Ids.GetValue(this, spec => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(spec.CanonicalJson()))).ToLowerInvariant()[..16]);

    /// <summary>The configuration as JSON with a fixed property order and invariant number formatting.</summary>
    public string CanonicalJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, this, Canonical);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The precision's name, fp32 when none is recorded.</summary>
    [JsonIgnore]
    public string PrecisionName => Precision ?? "fp32";

    /// <summary>A short human label: task, method, keep, KD, precision (when not fp32), seed.</summary>
    [JsonIgnore]
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Task} {Method} keep {Keep:0.###}{(Distillation is null ? "" : " +KD")}{(Precision is null ? "" : " " + Precision)} seed {Seed}");
}
