using Sweeps.Pruning.Training;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Squad;

/// <summary>
/// A classifier head for span tasks: maps the encoder's last hidden state [batch, tokens, hidden] to a start and an
/// end logit at every token, [batch, tokens, 2].
/// </summary>
public abstract class SpanHead(string name) : ClassifierHead(name)
{
    /// <summary>Start logits [batch, tokens].</summary>
    public static Tensor Start(Tensor logits) => logits.select(-1, 0);

    /// <summary>End logits [batch, tokens].</summary>
    public static Tensor End(Tensor logits) => logits.select(-1, 1);
}
