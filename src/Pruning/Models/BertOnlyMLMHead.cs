using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>The masked-LM head as stored under cls.predictions.* (HF BertOnlyMLMHead).</summary>
public sealed class BertOnlyMLMHead : nn.Module<Tensor, Tensor>
{
    private readonly BertLMPredictionHead predictions;

    public BertOnlyMLMHead(BertConfig config, Func<Tensor> tiedDecoderWeight) : base(nameof(BertOnlyMLMHead))
    {
        predictions = new BertLMPredictionHead(config, tiedDecoderWeight);
        RegisterComponents();
    }

    /// <summary>Logits over the vocabulary, or over <paramref name="tokenIds"/> only.</summary>
    public Tensor forward(Tensor hidden, long[]? tokenIds) => predictions.forward(hidden, tokenIds);

    public override Tensor forward(Tensor hidden) => predictions.forward(hidden, null);
}
