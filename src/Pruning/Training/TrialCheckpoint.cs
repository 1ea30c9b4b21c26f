using System.Security.Cryptography;
using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>
/// A trial's resumable state in one safetensors file: the trained tensors (scores, head, weights where trained), the
/// optimizer state, the RNG state, the progress counters and the mask churn's baseline (bit-packed). The data
/// section's SHA-256 travels in the header, so a torn or altered file is detected; the file is written to a temporary
/// name and renamed, so a crash mid-write leaves the previous checkpoint intact.
/// </summary>
public static class TrialCheckpoint
{
    public const string FileName = "checkpoint.safetensors";
    private const string OptimizerTensor = "__optimizer__";
    private const string RngTensor = "__rng__";
    private const string ChurnPrefix = "__churn__.";

    public sealed record Contents(TrainingProgressState Progress, IReadOnlyDictionary<string, Tensor> Tensors, byte[] OptimizerState, byte[] RngState) : IDisposable
    {
        /// <summary>
        /// The masks the next mask churn is measured against (those of the last evaluation), bit-packed by
        /// <see cref="MaskBits"/>, by matrix name; empty for a trial without masks.
        /// </summary>
        public IReadOnlyDictionary<string, byte[]> ChurnBaseline { get; init; } = new Dictionary<string, byte[]>();

        public void Dispose()
        {
            foreach (var t in Tensors.Values) t.Dispose();
        }
    }

    /// <param name="churnBaseline">The mask churn's baseline, bit-packed, by matrix name (empty without masks).</param>
    public static void Save(string folder, string fingerprint, TrainingProgressState progress,
        IEnumerable<(string Name, Tensor Value)> tensors, byte[] optimizerState, byte[] rngState, IReadOnlyDictionary<string, byte[]> churnBaseline)
    {
        Directory.CreateDirectory(folder);
        var blobs = tensors.Select(t => SafetensorsBlob.FromFloat32(t.Name, t.Value))
            .Append(SafetensorsBlob.FromBytes(OptimizerTensor, optimizerState))
            .Append(SafetensorsBlob.FromBytes(RngTensor, rngState))
            .Concat(churnBaseline.Select(m => SafetensorsBlob.FromBytes(ChurnPrefix + m.Key, m.Value)))
            .OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var blob in blobs) hash.AppendData(blob.Bytes); // the writer lays blobs out in this order
        var metadata = new Dictionary<string, string>
        {
            ["sha256"] = Convert.ToHexString(hash.GetHashAndReset()),
            ["fingerprint"] = fingerprint,
            ["progress"] = JsonSerializer.Serialize(progress),
        };
        var path = Path.Combine(folder, FileName);
        SafetensorsFile.Write(path, blobs, metadata);
        TrainingMeter.CheckpointWrites.Add(1);
        TrainingMeter.CheckpointBytes.Add(new FileInfo(path).Length);
    }

    /// <summary>The checkpoint in <paramref name="folder"/>, or null when there is none.</summary>
    /// <exception cref="CorruptCheckpointException">The file is unreadable or its checksum does not match.</exception>
    public static Contents? Load(string folder, out string? fingerprint)
    {
        fingerprint = null;
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Open(path);
        }
        catch (ModelFormatException e)
        {
            throw new CorruptCheckpointException(path, e.Message);
        }

        using (file)
        {
            if (!file.Metadata.TryGetValue("sha256", out var expected) || !file.Metadata.TryGetValue("progress", out var progressJson))
                throw new CorruptCheckpointException(path, "no checksum or progress in the header");
            var actual = file.HashData();
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                throw new CorruptCheckpointException(path, $"checksum {actual[..12]}… does not match the recorded {expected[..Math.Min(12, expected.Length)]}…");
            fingerprint = file.Metadata.GetValueOrDefault("fingerprint");
            var progress = JsonSerializer.Deserialize<TrainingProgressState>(progressJson)
                ?? throw new CorruptCheckpointException(path, "unreadable progress");
            var tensors = file.Entries.Keys.Where(n => n is not (OptimizerTensor or RngTensor) && !n.StartsWith(ChurnPrefix, StringComparison.Ordinal))
                .ToDictionary(n => n, file.ReadFloat32);
            var churnBaseline = file.Entries.Keys.Where(n => n.StartsWith(ChurnPrefix, StringComparison.Ordinal))
                .ToDictionary(n => n[ChurnPrefix.Length..], file.ReadBytes);
            return new Contents(progress, tensors, file.ReadBytes(OptimizerTensor), file.ReadBytes(RngTensor)) { ChurnBaseline = churnBaseline };
        }
    }

    /// <summary>Moves a corrupt checkpoint aside (kept for inspection) so the trial can start cleanly.</summary>
    public static void SetAside(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path)) File.Move(path, path + ".corrupt", overwrite: true);
    }

    public static void Delete(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path)) File.Delete(path);
    }
}
