using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Training;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Models;

/// <summary>
/// Settings and model files that libtorch would reject deep inside (an index out of range, a 64 GB allocation) are
/// refused before anything is allocated, naming the key or file.
/// </summary>
public sealed class ModelFitTests : IDisposable
{
    private readonly TinyBert tiny = new();

    public void Dispose() => tiny.Dispose();

    [Fact]
    public void MaxLengthPastTheModelsPositions_NamesBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelFit.Check(tiny.Folder, TinyBert.Vocabulary, TinyBert.Config.MaxPositionEmbeddings + 1));

        Assert.Contains($"max_length {TinyBert.Config.MaxPositionEmbeddings + 1}", error.Message);
        Assert.Contains("max_position_embeddings", error.Message);
        ModelFit.Check(tiny.Folder, TinyBert.Vocabulary, TinyBert.Config.MaxPositionEmbeddings);
    }

    [Fact]
    public void VocabularyLongerThanVocabSize_NamesTheVocabulary()
    {
        File.AppendAllLines(tiny.Folder.VocabPath, Enumerable.Range(0, TinyBert.Config.VocabSize).Select(i => $"extra{i}"));
        var vocabulary = File.ReadAllLines(tiny.Folder.VocabPath);

        var error = Assert.Throws<ModelFormatException>(() => ModelFit.Check(tiny.Folder, vocabulary, 16));

        Assert.Equal(tiny.Folder.VocabPath, error.Path);
        Assert.Contains("vocab_size", error.Message);
    }

    [Theory]
    [InlineData(2_000_000_000, 64)]
    [InlineData(500_000, 16_000)]
    public void ConfigAskingForAHugeEmbedding_IsRefusedBeforeAllocating(int vocabSize, int hiddenSize)
    {
        (TinyBert.Config with { VocabSize = vocabSize, HiddenSize = hiddenSize, NumAttentionHeads = 1 }).Save(tiny.Folder.ConfigPath);

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));

        Assert.Equal(tiny.Folder.ConfigPath, error.Path);
        Assert.Contains("vocab_size", error.Message);
    }
}
