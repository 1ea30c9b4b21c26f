using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>Maps the encoder's last hidden state (and the input ids, to find a [MASK]) to task logits.</summary>
public abstract class ClassifierHead(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    public abstract ClassifierMode Mode { get; }

    /// <summary>The parameters a trial trains (none for the frozen masked-LM head).</summary>
    public abstract IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters { get; }
}
