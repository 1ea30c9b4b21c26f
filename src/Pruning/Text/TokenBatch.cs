using static TorchSharp.torch;

namespace Sweeps.Pruning.Text;

/// <summary>A padded batch of encoded inputs as int64 tensors of shape [batch, longest].</summary>
public sealed record TokenBatch(Tensor InputIds, Tensor TokenTypeIds, Tensor AttentionMask) : IDisposable
{
    /// <summary>The number of real (non-padding) tokens in the batch.</summary>
    public long RealTokens { get; init; }

    /// <summary>Pads <paramref name="items"/> to the longest of them and places the tensors on <paramref name="device"/>.</summary>
    public static TokenBatch Collate(IReadOnlyList<EncodedText> items, int padTokenId, Device? device = null)
    {
        var longest = items.Max(i => i.Length);
        var ids = new long[items.Count * longest];
        var types = new long[items.Count * longest];
        var mask = new long[items.Count * longest];
        Array.Fill(ids, padTokenId);
        long real = 0;
        for (var row = 0; row < items.Count; row++)
        {
            var item = items[row];
            for (var column = 0; column < item.Length; column++)
            {
                var at = row * longest + column;
                ids[at] = item.InputIds[column];
                types[at] = item.TokenTypeIds[column];
                mask[at] = 1;
            }
            real += item.Length;
        }
        long[] shape = [items.Count, longest];
        return new TokenBatch(tensor(ids, shape, device: device), tensor(types, shape, device: device), tensor(mask, shape, device: device))
        {
            RealTokens = real,
        };
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask.Dispose();
    }
}
