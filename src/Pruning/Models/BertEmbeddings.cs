using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>Word + position + token-type embeddings, then LayerNorm and dropout (HF BertEmbeddings).</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>The word-embedding matrix, which the masked-LM decoder shares.</summary>
    public Parameter WordEmbeddingWeight => word_embeddings.weight!;

    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        // Summed and normalised in float32 whatever the tables are stored in.
        var sum = Float32(word_embeddings.call(inputIds)) + Float32(position_embeddings.call(positions)) + Float32(token_type_embeddings.call(tokenTypeIds));
        return dropout.call(LayerNorm.call(sum)).MoveToOuterDisposeScope();
    }

    /// <summary>Stores the three (frozen) tables in <paramref name="type"/>: half the memory in bfloat16.</summary>
    public void StoreTablesAs(ScalarType type)
    {
        foreach (var table in new[] { word_embeddings, position_embeddings, token_type_embeddings })
        {
            var old = table.weight!;
            if (old.dtype == type) continue;
            using (no_grad())
                table.weight = new Parameter(old.to(type), old.requires_grad);
            old.Dispose();
        }
    }

    private static Tensor Float32(Tensor rows) => rows.dtype == ScalarType.Float32 ? rows : rows.to(ScalarType.Float32);
}
