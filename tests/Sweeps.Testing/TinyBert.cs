using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;

namespace Sweeps.Testing;

/// <summary>A tiny randomly initialised BERT (2 layers, hidden 32) written as a model folder in a temp directory.</summary>
public sealed class TinyBert : IDisposable
{
    public static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "!", "?", "$", "the", "a", "is", "it", "free", "money",
        "meeting", "today", "win", "now", "great", "terrible", "yes", "no", "maybe", "correct", "incorrect", "spam",
        "ham", "hello", "world", "##s", "##ing", "click", "here", "offer", "report", "attached", "lunch", "please",
    ];

    public static BertConfig Config { get; } = new()
    {
        VocabSize = Vocabulary.Length,
        HiddenSize = 32,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 64,
        MaxPositionEmbeddings = 64,
    };

    public TinyBert(bool withMaskedLmHead = false, long seed = 1)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sweeps-tiny-bert-").FullName;
        TorchSharp.torch.manual_seed(seed);
        using var model = new PretrainedBert(Config, withMaskedLmHead);
        Folder = BertCheckpointWriter.Save(model, Directory, Vocabulary);
    }

    public string Directory { get; }
    public ModelFolder Folder { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
