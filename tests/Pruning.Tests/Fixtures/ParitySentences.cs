namespace Sweeps.Pruning.Tests.Fixtures;

/// <summary>
/// 72 real texts of varied length (subject + a body excerpt of 3 to 150 words from SpamAssassin e-mails, Apache-2.0),
/// kept as a file so the parity tests never depend on a download.
/// </summary>
public static class ParitySentences
{
    public static IReadOnlyList<string> Load() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "parity-sentences.txt"))
            .Where(l => l.Length > 0).ToList();
}
