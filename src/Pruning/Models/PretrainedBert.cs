using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// A pre-trained checkpoint as Hugging Face's BertForMaskedLM names it: the encoder under <c>bert.*</c> and, when the
/// checkpoint has one, the masked-LM head under <c>cls.*</c>.
/// </summary>
public sealed class PretrainedBert : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertModel bert;
    private readonly BertOnlyMLMHead? cls;

    public PretrainedBert(BertConfig config, bool withMaskedLmHead) : base(nameof(PretrainedBert))
    {
        bert = new BertModel(config);
        cls = withMaskedLmHead ? new BertOnlyMLMHead(config, () => bert.WordEmbeddingWeight) : null;
        RegisterComponents();
    }

    public BertConfig Config => bert.Config;

    public BertModel Encoder => bert;

    /// <summary>Whether the pooler's weights came from the checkpoint (a masked-LM checkpoint, MiniLM's too, has none).</summary>
    public bool PoolerLoaded { get; internal set; }

    /// <summary>The frozen masked-LM head, or null when the checkpoint has none.</summary>
    public BertOnlyMLMHead? MaskedLmHead => cls;

    /// <summary>The last hidden state, [batch, sequence, hidden].</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        bert.call(inputIds, tokenTypeIds, attentionMask);
}
