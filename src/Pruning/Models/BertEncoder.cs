using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>The stack of encoder layers (HF BertEncoder; parameters under encoder.layer.N).</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        var current = hidden.alias();
        foreach (var block in layer)
        {
            var next = block.call(current, attentionBias);
            current.Dispose();
            current = next;
        }
        return current;
    }
}
