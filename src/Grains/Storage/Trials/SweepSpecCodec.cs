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

    public static SweepSpec Decode(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<SweepSpec>(gzip, Options) ?? throw new JsonException("a stored sweep spec is empty");
    }
}
