using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>Dense + tanh over the first token's hidden state (HF BertPooler).</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public BertPooler(BertConfig config) : this(config.HiddenSize)
    {
    }

    public BertPooler(int hiddenSize) : base(nameof(BertPooler))
    {
        dense = nn.Linear(hiddenSize, hiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dense.call(hidden.select(1, 0)).tanh().MoveToOuterDisposeScope();
    }

    /// <summary>Copies another pooler's weight and bias (as float32 values).</summary>
    public void CopyFrom(BertPooler other)
    {
        using var noGrad = no_grad();
        dense.weight!.copy_(other.dense.weight!);
        dense.bias!.copy_(other.dense.bias!);
    }

    /// <summary>Hugging Face's initialisation of a new linear layer: weights N(0, std²), bias 0.</summary>
    public void InitializeNormal(double std)
    {
        using var noGrad = no_grad();
        dense.weight!.normal_(0, std);
        dense.bias!.zero_();
    }
}
