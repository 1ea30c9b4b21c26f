using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>The feed-forward block's contraction, dropout, residual and LayerNorm (HF BertOutput).</summary>
public sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MaskedLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertOutput(BertConfig config) : base(nameof(BertOutput))
    {
        dense = new MaskedLinear(config.IntermediateSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor intermediate, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(intermediate)) + residual).MoveToOuterDisposeScope();
    }
}
