using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>Multi-head scaled dot-product self-attention with query, key and value projections (HF BertSelfAttention).</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MaskedLinear query;
    private readonly MaskedLinear key;
    private readonly MaskedLinear value;
    private readonly double dropoutProbability;
    private readonly int heads;
    private readonly int headSize;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headSize = config.HiddenSize / config.NumAttentionHeads;
        query = new MaskedLinear(config.HiddenSize, config.HiddenSize);
        key = new MaskedLinear(config.HiddenSize, config.HiddenSize);
        value = new MaskedLinear(config.HiddenSize, config.HiddenSize);
        dropoutProbability = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    /// <param name="hidden">[batch, sequence, hidden]</param>
    /// <param name="attentionBias">[batch, 1, 1, sequence]: 0 where attended, a large negative number at padding.</param>
    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        using var scope = NewDisposeScope();
        var q = SplitHeads(query.call(hidden));
        var k = SplitHeads(key.call(hidden));
        var v = SplitHeads(value.call(hidden));
        // The fused kernel wants the bias in the projections' type; bfloat16 would round float's minimum to −∞.
        var bias = attentionBias.dtype == q.dtype ? attentionBias : attentionBias.clamp_min(-1e30).to(q.dtype);
        // The fused kernel computes softmax(q·kᵀ/√d + bias)·v, with dropout on the probabilities while training.
        var context = nn.functional.scaled_dot_product_attention(q, k, v, bias, training ? dropoutProbability : 0.0)
            .permute(0, 2, 1, 3).contiguous();
        return context.view(context.shape[0], context.shape[1], heads * headSize).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], heads, headSize).permute(0, 2, 1, 3);
}
