using Sweeps.Pruning.Tasks;

namespace Sweeps.Testing;

/// <summary>Small in-memory tasks in the tiny BERT's vocabulary: spam-like words against work-like words.</summary>
public static class TinyTasks
{
    private static readonly string[] SpamWords = ["free", "money", "win", "now", "click", "here", "offer", "$", "!"];
    private static readonly string[] HamWords = ["meeting", "today", "lunch", "report", "attached", "please", "hello", "world", "."];

    /// <summary>A two-class task: <paramref name="perClass"/> training and a quarter as many dev examples per class.</summary>
    public static TextTask Spam(int perClass = 48, int seed = 3)
    {
        var random = new Random(seed);
        string Sentence(string[] pool) => string.Join(' ', Enumerable.Range(0, random.Next(3, 9)).Select(_ => pool[random.Next(pool.Length)]));
        List<TextExample> Examples(int count) => Enumerable.Range(0, count)
            .SelectMany(_ => new[] { new TextExample(Sentence(HamWords), null, 0), new TextExample(Sentence(SpamWords), null, 1) })
            .ToList();
        return new TextTask("tiny-spam", ["ham", "spam"], [TaskMetric.Accuracy, TaskMetric.F1], Examples(perClass),
            new Dictionary<string, IReadOnlyList<TextExample>> { ["dev"] = Examples(Math.Max(1, perClass / 4)) }, ["no", "yes"]);
    }

    /// <summary>Writes an SST-2-format folder (train.tsv, dev.tsv, the same rows) in the tiny vocabulary; returns its path.</summary>
    public static string WriteSst2Folder(TemporaryFolder folder, string name = "sst2", int repeats = 6)
    {
        var rows = "sentence\tlabel\n" + string.Concat(Enumerable.Repeat("win free money now\t0\ngreat meeting today\t1\nclick here offer\t0\nlunch please\t1\n", repeats));
        folder.Write($"{name}/train.tsv", rows);
        folder.Write($"{name}/dev.tsv", rows);
        return Path.Combine(folder.Path, name);
    }
}
