using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// Projection, dropout, residual and LayerNorm: Hugging Face's BertSelfOutput (after attention, input = hidden size)
/// and BertOutput (after the feed-forward expansion, input = intermediate size), which differ only in input size.
/// Parameters are named <c>dense.*</c> and <c>LayerNorm.*</c> as in both.
/// </summary>
public sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MaskedLinear dense;
    private readonly TorchSharp.Modules.LayerNorm LayerNorm;
    private readonly TorchSharp.Modules.Dropout dropout;

    public BertResidualOutput(BertConfig config, int inputSize) : base(nameof(BertResidualOutput))
    {
        dense = new MaskedLinear(inputSize, config.HiddenSize);
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
