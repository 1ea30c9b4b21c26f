using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// One trial's complete configuration. Its id is a hash of everything else, so the same trial submitted twice — in the
/// same grid or another — is recognised and its finished result reused.
/// </summary>
public sealed record TrialSpec(
    string Task,
    string? Data,
    string Model,
    string Method,
    double Keep,
    string Classifier,
    DistillationSpec? Distillation,
    int Seed,
    TrainingSpec Training,
    string Pool)
{
    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false };

    /// <summary>16 hex digits of the SHA-256 of the canonical JSON of this configuration.</summary>
    [JsonIgnore]
    public string Id => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson()))).ToLowerInvariant()[..16];

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

    /// <summary>A short human label: task, method, keep, KD, seed.</summary>
    [JsonIgnore]
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Task} {Method} keep {Keep:0.###}{(Distillation is null ? "" : " +KD")} seed {Seed}");
}
