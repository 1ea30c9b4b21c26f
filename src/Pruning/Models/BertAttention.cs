using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>Self-attention followed by its output block (HF BertAttention).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output; // HF BertSelfOutput

    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor attentionBias)
    {
        using var context = self.call(hidden, attentionBias);
        return output.call(context, hidden);
    }
}
