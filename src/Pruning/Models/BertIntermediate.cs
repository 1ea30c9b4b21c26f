using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>The feed-forward block's expansion and activation (HF BertIntermediate).</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly MaskedLinear dense;
    private readonly string activation;

    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = new MaskedLinear(config.HiddenSize, config.IntermediateSize);
        activation = config.HiddenAct;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var projected = dense.call(hidden);
        return Activation.Apply(activation, projected);
    }
}
