using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;

namespace Sweeps.GpuSmoke;

/// <summary>
/// A randomly initialised BERT made on the spot (the kit carries no weights) and a two-class task in its vocabulary:
/// sentences of spam-like words against sentences of work-like words, which even random frozen weights can separate
/// once the masks are learned.
/// </summary>
public static class SmokeModel
{
    private static readonly string[] SpamWords = ["free", "money", "win", "now", "click", "here", "offer", "$", "!", "prize", "cash", "deal"];
    private static readonly string[] HamWords = ["meeting", "today", "lunch", "report", "attached", "please", "hello", "team", ".", "notes", "agenda", "review"];

    public static IReadOnlyList<string> Vocabulary { get; } =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "ham", "spam", .. SpamWords, .. HamWords];

    /// <summary>Writes the model folder (config.json, vocab.txt, model.safetensors) and returns it.</summary>
    public static ModelFolder Write(string folder, int hidden, int layers, int maxLength, long seed)
    {
        var config = new BertConfig
        {
            VocabSize = Vocabulary.Count,
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = Math.Max(1, hidden / 64),
            IntermediateSize = 4 * hidden,
            MaxPositionEmbeddings = Math.Max(64, maxLength),
        };
        TorchSharp.torch.manual_seed(seed);
        using var model = new PretrainedBert(config, withMaskedLmHead: false);
        return BertCheckpointWriter.Save(model, folder, Vocabulary);
    }

    /// <summary><paramref name="trainCount"/> training and a quarter as many dev examples, half of each class.</summary>
    public static TextTask Task(int trainCount, int maxWords, int seed)
    {
        var random = new Random(seed);
        string Sentence(string[] pool) => string.Join(' ', Enumerable.Range(0, random.Next(3, maxWords + 1)).Select(_ => pool[random.Next(pool.Length)]));
        List<TextExample> Examples(int count) => Enumerable.Range(0, Math.Max(1, count / 2))
            .SelectMany(_ => new[] { new TextExample(Sentence(HamWords), null, 0), new TextExample(Sentence(SpamWords), null, 1) })
            .ToList();
        return new TextTask("smoke-spam", ["ham", "spam"], [TaskMetric.Accuracy, TaskMetric.F1], Examples(trainCount),
            new Dictionary<string, IReadOnlyList<TextExample>> { ["dev"] = Examples(trainCount / 4) }, ["ham", "spam"]);
    }
}
