using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>The BERT encoder: embeddings, encoder layers and pooler (HF BertModel, same parameter names).</summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;

    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = new BertPooler(config);
        RegisterComponents();
    }

    public BertConfig Config { get; }

    /// <summary>The word-embedding matrix (shared with a masked-LM decoder).</summary>
    public Parameter WordEmbeddingWeight => embeddings.WordEmbeddingWeight;

    public BertEmbeddings Embeddings => embeddings;

    /// <summary>The pooler (the checkpoint's, where it has one: see <see cref="PretrainedBert.PoolerLoaded"/>).</summary>
    public BertPooler Pooler => pooler;

    /// <summary>Returns the last hidden state, [batch, sequence, hidden].</summary>
    /// <param name="inputIds">[batch, sequence] token ids.</param>
    /// <param name="tokenTypeIds">[batch, sequence] segment ids (0 for the first text, 1 for the second).</param>
    /// <param name="attentionMask">[batch, sequence]: 1 for real tokens, 0 for padding.</param>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var bias = (1.0f - attentionMask.to(ScalarType.Float32)).mul(float.MinValue).unsqueeze(1).unsqueeze(1);
        var hidden = embeddings.call(inputIds, tokenTypeIds);
        return encoder.call(hidden, bias).MoveToOuterDisposeScope();
    }

    /// <summary>The pooled [CLS] representation (dense + tanh), [batch, hidden].</summary>
    public Tensor Pool(Tensor lastHiddenState) => pooler.call(lastHiddenState);
}
