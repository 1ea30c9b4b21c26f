using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// The stored form of a sweep's spec: UTF-8 JSON without type names, gzipped. A grid's trials differ in a few settings,
/// so 100,000 of them compress to a few megabytes, where the typed grain-state document was about 30 MB.
/// </summary>
public static class SweepSpecCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Encode(SweepSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            JsonSerializer.Serialize(gzip, spec, Options);
        return buffer.ToArray();
    }

    /// <summary>
    /// The spec as stored. Its trials share what they have in common (a task's name, a model's path, equal training
    /// settings) as one object each, as the grid that made them did: a sweep keeps its spec for as long as it is
    /// active, and decoded strings would otherwise be a copy per trial.
    /// </summary>
    public static SweepSpec Decode(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        var spec = JsonSerializer.Deserialize<SweepSpec>(gzip, Options) ?? throw new JsonException("a stored sweep spec is empty");
        var strings = new Dictionary<string, string>();
        var trainings = new Dictionary<TrainingSpec, TrainingSpec>();
        string? Shared(string? value) => value is null ? null : strings.TryAdd(value, value) ? value : strings[value];
        TrainingSpec SharedTraining(TrainingSpec value) => trainings.TryAdd(value, value) ? value : trainings[value];
        return spec with
        {
            Trials = spec.Trials.Select(t => t with
            {
                Task = Shared(t.Task)!, Data = Shared(t.Data), Model = Shared(t.Model)!, Method = Shared(t.Method)!, Classifier = Shared(t.Classifier)!,
                Pool = Shared(t.Pool)!, Inputs = Shared(t.Inputs), Precision = Shared(t.Precision), Training = SharedTraining(t.Training),
            }).ToList(),
        };
    }
}
