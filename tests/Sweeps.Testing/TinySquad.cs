using System.Text.Json;

namespace Sweeps.Testing;

/// <summary>
/// Writes a small SQuAD v1.1 folder (train-v1.1.json, dev-v1.1.json) in the tiny BERT's vocabulary: each context is a
/// run of filler words holding one of a few target words exactly once, and the question asks for that word. A head
/// that learns to point at the target word answers every question; an untrained one rarely does.
/// </summary>
public static class TinySquad
{
    private static readonly string[] Targets = ["money", "lunch", "report", "offer"];
    private static readonly string[] Filler = ["the", "a", "is", "it", "free", "meeting", "today", "win", "now", "great", "hello", "world", "click", "here", "please", "attached"];

    public static string WriteFolder(TemporaryFolder folder, string name = "squad", int trainCount = 64, int devCount = 16, int seed = 5)
    {
        var random = new Random(seed);
        folder.Write($"{name}/train-v1.1.json", Document(random, "train", trainCount));
        folder.Write($"{name}/dev-v1.1.json", Document(random, "dev", devCount));
        return Path.Combine(folder.Path, name);
    }

    private static string Document(Random random, string split, int count)
    {
        var paragraphs = Enumerable.Range(0, count).Select(i =>
        {
            var target = Targets[random.Next(Targets.Length)];
            var words = Enumerable.Range(0, random.Next(6, 14)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            var at = random.Next(words.Count + 1);
            words.Insert(at, target);
            var context = string.Join(' ', words);
            var start = string.Join(' ', words.Take(at)).Length + (at > 0 ? 1 : 0);
            return new
            {
                context,
                qas = new[]
                {
                    new { id = $"{split}-{i}", question = $"where is the {target} ?", answers = new[] { new { text = target, answer_start = start } } },
                },
            };
        });
        return JsonSerializer.Serialize(new { version = "1.1", data = new[] { new { title = "tiny", paragraphs } } });
    }
}
