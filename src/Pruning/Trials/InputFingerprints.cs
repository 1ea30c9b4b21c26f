using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// Fingerprints of what a trial reads — its model folder, its data folder, an external teacher folder — so a trial's
/// identity is its inputs' contents, not their paths. A folder's fingerprint covers the name, size and SHA-256 of every
/// regular file directly in it (dot-files aside); a file's SHA-256 is kept by real path, size and modification time, so a
/// large folder is hashed once and again only when it changes. Built-in models and data are identified by name.
/// </summary>
public sealed class InputFingerprints
{
    public const string CacheFileName = "fingerprints.json";

    private readonly string? cacheFile;
    private readonly ConcurrentDictionary<string, FileDigest> digests = new(StringComparer.Ordinal);

    /// <param name="cacheFile">Where file digests are kept between runs (null: in memory only).</param>
    public InputFingerprints(string? cacheFile = null)
    {
        this.cacheFile = cacheFile;
        if (cacheFile is null || InputKinds.Of(cacheFile) != InputKind.RegularFile) return;
        try
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, FileDigest>>(InputFile.ReadAllText(cacheFile, InputFile.FingerprintCacheBytes, "a fingerprint cache"));
            foreach (var (path, digest) in stored ?? []) digests[path] = digest;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A damaged cache only costs re-hashing.
        }
    }

    /// <summary>Kept under the cache folder: the client's digests survive between submits.</summary>
    public static InputFingerprints InCache(SweepsCache cache) => new(Path.Combine(cache.Root, CacheFileName));

    /// <summary>
    /// 16 hex digits over the model, data and teacher folder a trial reads; null when it reads no folder (a built-in
    /// model on the built-in data), whose names are identity enough.
    /// </summary>
    public string? OfTrial(string model, string? dataFolder, string? teacherFolder)
    {
        if (BuiltInModels.Canonical(model) is not null && dataFolder is null && teacherFolder is null) return null;
        var text = $"model {(BuiltInModels.Canonical(model) is { } builtIn ? "built-in " + builtIn : OfFolder(model, "a model folder"))}\n"
            + $"data {(dataFolder is null ? "built-in" : OfFolder(dataFolder, "a data folder"))}\n"
            + $"teacher {(teacherFolder is null ? "-" : OfFolder(teacherFolder, "a teacher folder"))}\n";
        return Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>SHA-256 (hex) over the name, size and contents' hash of each regular file directly in the folder.</summary>
    public string OfFolder(string folder, string what)
    {
        InputFile.RequireFolder(folder, what);
        var listing = new StringBuilder();
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.')) continue;
            switch (InputKinds.Of(path))
            {
                case InputKind.RegularFile:
                    var digest = Digest(path);
                    listing.Append(name).Append('\0').Append(digest.Size).Append('\0').Append(digest.Sha256).Append('\n');
                    break;
                case InputKind.Special:
                    throw new InputFileException(path, $"is {InputKinds.Describe(path)}; {what} may hold only regular files and folders");
            }
        }
        return Hex(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
    }

    /// <summary>Writes the digests to the cache file (atomically; a failure to write only costs re-hashing next time).</summary>
    public void Save()
    {
        if (cacheFile is null) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cacheFile)!);
            var staging = $"{cacheFile}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(staging, JsonSerializer.Serialize(digests.ToDictionary()));
            File.Move(staging, cacheFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private FileDigest Digest(string path)
    {
        var real = RealPath.Of(path);
        var info = new FileInfo(real);
        var modified = info.LastWriteTimeUtc.Ticks;
        if (digests.TryGetValue(real, out var known) && known.Size == info.Length && known.ModifiedTicks == modified) return known;
        using var stream = InputFile.OpenRead(real, long.MaxValue, "an input file");
        var digest = new FileDigest(info.Length, modified, Hex(SHA256.HashData(stream)));
        digests[real] = digest;
        return digest;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private sealed record FileDigest(long Size, long ModifiedTicks, string Sha256);
}
