using Sweeps.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Squad;

/// <summary>Maps the encoder's last hidden state [batch, tokens, hidden] to start and end logits [batch, tokens, 2].</summary>
public abstract class SpanHead(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract ClassifierMode Mode { get; }

    /// <summary>The parameters a trial trains (none for the frozen masked-LM head).</summary>
    public abstract IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters { get; }

    /// <summary>Start logits [batch, tokens].</summary>
    public static Tensor Start(Tensor logits) => logits.select(-1, 0);

    /// <summary>End logits [batch, tokens].</summary>
    public static Tensor End(Tensor logits) => logits.select(-1, 1);
}
