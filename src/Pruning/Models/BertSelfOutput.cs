using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>Attention output projection, dropout, residual and LayerNorm (HF BertSelfOutput).</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MaskedLinear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertSelfOutput(BertConfig config) : base(nameof(BertSelfOutput))
    {
        dense = new MaskedLinear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(hidden)) + residual).MoveToOuterDisposeScope();
    }
}
