using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>One transformer encoder layer: attention, then the feed-forward block (HF BertLayer).</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output; // HF BertOutput

    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        using var attended = attention.call(hidden, attentionBias);
        using var expanded = intermediate.call(attended);
        return output.call(expanded, attended);
    }
}
