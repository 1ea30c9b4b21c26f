using Sweeps.Pruning.Tasks;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Text;

/// <summary>Encodes task examples and groups them into padded batches, in the order given.</summary>
public sealed class TextBatcher(BertTextEncoder encoder, int maxLength, int batchSize)
{
    /// <summary>Yields (batch, labels) pairs; the caller disposes each batch.</summary>
    public IEnumerable<(TokenBatch Batch, float[] Labels)> Batches(IReadOnlyList<TextExample> examples, Device? device = null)
    {
        foreach (var chunk in examples.Chunk(batchSize))
        {
            var encoded = chunk.Select(e => encoder.Encode(e.TextA, e.TextB, maxLength)).ToList();
            yield return (TokenBatch.Collate(encoded, encoder.PadTokenId, device), chunk.Select(e => e.Label).ToArray());
        }
    }
}
