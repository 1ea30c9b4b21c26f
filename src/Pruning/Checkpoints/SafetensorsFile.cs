using Sweeps.Pruning.Inputs;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Sweeps.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format (an 8-byte header length, a JSON header, then raw little-endian data).
/// Every header is checked against the file before any tensor is read: a truncated file or a header whose offsets
/// lie is reported with the file and tensor name instead of producing garbage weights.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100_000_000;
    private readonly FileStream stream;
    private readonly long dataStart;

    private SafetensorsFile(string path, FileStream stream, long dataStart, IReadOnlyDictionary<string, SafetensorsEntry> entries,
        IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        this.stream = stream;
        this.dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>The tensors the header declares, by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The header's string-to-string <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts and how long it is (for checksums over it).</summary>
    public (long Start, long Length) DataSection => (dataStart, stream.Length - dataStart);

    /// <summary>Opens a file and validates its header against the file's size.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "file not found");
        InputFile.RequireRegular(path, "a safetensors file");
        var stream = File.OpenRead(path);
        try
        {
            var (entries, metadata, dataStart) = ReadHeader(path, stream);
            return new SafetensorsFile(path, stream, dataStart, entries, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads one tensor as float32 (F16, BF16 and F64 are converted).</summary>
    public Tensor ReadFloat32(string name)
    {
        var entry = Entry(name);
        if (!entry.IsFloatingPoint)
            throw new ModelFormatException(Path, $"tensor '{name}' has dtype {entry.DType}, expected a floating-point dtype");
        return tensor(ToFloat32(entry.DType, ReadBytes(name)), entry.Shape);
    }

    /// <summary>
    /// Reads one tensor of model weights as float32, refusing it if any value is NaN or infinite: such a weight makes
    /// every output NaN, which training would otherwise report only as a loss that is not finite.
    /// </summary>
    public Tensor ReadFiniteFloat32(string name)
    {
        var value = ReadFloat32(name);
        using var finite = value.isfinite();
        if (finite.all().item<bool>()) return value;
        var bad = finite.numel() - finite.count_nonzero().item<long>();
        value.Dispose();
        throw new ModelFormatException(Path,
            $"tensor '{name}' holds {bad:N0} of {finite.numel():N0} values that are not finite (NaN or infinite); the file is damaged or was saved from a run that diverged");
    }

    /// <summary>Reads one tensor's raw little-endian bytes.</summary>
    public byte[] ReadBytes(string name)
    {
        var entry = Entry(name);
        var bytes = new byte[entry.End - entry.Begin];
        stream.Position = dataStart + entry.Begin;
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Hashes the data section (SHA-256, hex), for files that carry their own checksum in the metadata.</summary>
    public string HashData()
    {
        stream.Position = dataStart;
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private SafetensorsEntry Entry(string name) => Entries.TryGetValue(name, out var entry) ? entry
        : throw new ModelFormatException(Path, $"tensor '{name}' not found");

    /// <summary>Writes float32 tensors, sorted by name, atomically (temporary file, then rename).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors.Select(t => SafetensorsBlob.FromFloat32(t.Key, t.Value)), metadata);

    /// <summary>Writes tensors given as raw bytes, sorted by name, atomically (temporary file, then rename).</summary>
    public static void Write(string path, IEnumerable<SafetensorsBlob> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is not null) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>(ordered.Count);
        long offset = 0;
        foreach (var blob in ordered)
        {
            header[blob.Name] = new { dtype = blob.DType, shape = blob.Shape, data_offsets = new[] { offset, offset + blob.Bytes.Length } };
            blobs.Add(blob.Bytes);
            offset += blob.Bytes.Length;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8; // align data to 8 bytes; the format allows trailing spaces
        var temporary = path + ".tmp";
        using (var output = File.Create(temporary))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            output.Write(length);
            output.Write(json);
            for (var i = json.Length; i < padded; i++) output.WriteByte((byte)' ');
            foreach (var blob in blobs) output.Write(blob);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose() => stream.Dispose();

    private static (Dictionary<string, SafetensorsEntry> Entries, Dictionary<string, string> Metadata, long DataStart) ReadHeader(string path, FileStream stream)
    {
        if (stream.Length < 8) throw new ModelFormatException(path, $"truncated: {stream.Length} bytes, no header");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > stream.Length - 8)
            throw new ModelFormatException(path,
                $"header claims {headerLength} bytes but the file has {stream.Length - 8} after the length (truncated or not safetensors)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.Length - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, $"header is not valid JSON: {e.Message}");
        }

        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(path, "header is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind == JsonValueKind.Object)
                        foreach (var item in property.Value.EnumerateObject())
                            metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : item.Value.GetRawText();
                    continue;
                }
                entries[property.Name] = ParseEntry(path, property, dataLength);
            }
        }

        // Tensors must not overlap: a header that points two tensors at the same bytes is lying.
        var sorted = entries.Values.OrderBy(e => e.Begin).ToList();
        for (var i = 1; i < sorted.Count; i++)
            if (sorted[i].Begin < sorted[i - 1].End)
                throw new ModelFormatException(path, $"tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap in the data section");
        return (entries, metadata, dataStart);
    }

    private static SafetensorsEntry ParseEntry(string path, JsonProperty property, long dataLength)
    {
        var name = property.Name;
        try
        {
            var value = property.Value;
            var dtype = value.GetProperty("dtype").GetString() ?? "";
            var elementSize = SafetensorsEntry.ElementSize(dtype)
                ?? throw new ModelFormatException(path, $"tensor '{name}' has unknown dtype '{dtype}'");
            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || shape.Any(d => d < 0))
                throw new ModelFormatException(path, $"tensor '{name}' has a malformed shape or data_offsets");
            var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
            if (entry.Begin < 0 || entry.End < entry.Begin || entry.End > dataLength)
                throw new ModelFormatException(path,
                    $"tensor '{name}' data_offsets [{entry.Begin}, {entry.End}] fall outside the {dataLength}-byte data section (truncated file or lying header)");
            if (entry.End - entry.Begin != entry.ElementCount * elementSize)
                throw new ModelFormatException(path,
                    $"tensor '{name}' has {entry.End - entry.Begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {entry.ElementCount * elementSize}");
            return entry;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException(path, $"tensor '{name}' has a malformed header entry: {e.Message}");
        }
    }

    private static float[] ToFloat32(string dtype, byte[] bytes) => dtype switch
    {
        "F32" => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
        "F64" => MemoryMarshal.Cast<byte, double>(bytes).ToArray().Select(d => (float)d).ToArray(),
        "F16" => MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(h => (float)h).ToArray(),
        "BF16" => MemoryMarshal.Cast<byte, ushort>(bytes).ToArray().Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point dtype"),
    };
}
