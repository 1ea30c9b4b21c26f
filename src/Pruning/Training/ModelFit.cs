using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Training;

/// <summary>
/// A trial's settings checked against its model before anything is allocated: libtorch would otherwise fail deep in
/// an embedding lookup ("index out of range in self") with no word of which setting or file is at fault.
/// </summary>
public static class ModelFit
{
    /// <param name="vocabulary">The model's vocab.txt, as read once for the trial.</param>
    public static void Check(ModelFolder folder, IReadOnlyCollection<string> vocabulary, int maxLength)
    {
        var config = BertConfig.Load(folder.ConfigPath);
        if (maxLength > config.MaxPositionEmbeddings)
            throw new ArgumentException($"max_length {maxLength} is longer than the model's {config.MaxPositionEmbeddings} positions ({folder.ConfigPath}: max_position_embeddings)");
        var tokens = vocabulary.Count;
        if (tokens > config.VocabSize)
            throw new ModelFormatException(folder.VocabPath, $"has {tokens:N0} tokens but config.json's vocab_size is {config.VocabSize:N0}: their ids would index past the embedding");
    }
}
