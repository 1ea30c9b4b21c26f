namespace Sweeps.Pruning.Text;

/// <summary>One encoded input: [CLS] a [SEP] (b [SEP]), with segment ids 0 for the first text and 1 for the second.</summary>
public sealed record EncodedText(int[] InputIds, int[] TokenTypeIds)
{
    public int Length => InputIds.Length;
}
