using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// The masked-LM prediction head (HF BertLMPredictionHead): transform, then a decoder tied to the word embeddings,
/// plus a per-token bias. The decoder weight is not a parameter of its own, as in Hugging Face's tied checkpoints.
/// </summary>
public sealed class BertLMPredictionHead : nn.Module<Tensor, Tensor>
{
    private readonly BertPredictionHeadTransform transform;
    private readonly Parameter bias;
    private readonly Func<Tensor> decoderWeight;

    public BertLMPredictionHead(BertConfig config, Func<Tensor> tiedDecoderWeight) : base(nameof(BertLMPredictionHead))
    {
        transform = new BertPredictionHeadTransform(config);
        bias = nn.Parameter(zeros(config.VocabSize));
        decoderWeight = tiedDecoderWeight;
        RegisterComponents();
    }

    /// <summary>Vocabulary logits, restricted to <paramref name="tokenIds"/> when given (the label words).</summary>
    public Tensor forward(Tensor hidden, long[]? tokenIds)
    {
        using var scope = NewDisposeScope();
        var transformed = transform.call(hidden);
        var weight = decoderWeight();
        var b = (Tensor)bias;
        if (tokenIds is not null)
        {
            var index = tensor(tokenIds, device: weight.device);
            weight = weight.index_select(0, index);
            b = b.index_select(0, index);
        }
        // The tied table may be stored in bfloat16 (mixed precision); the head computes in float32.
        if (weight.dtype != transformed.dtype) weight = weight.to(transformed.dtype);
        return nn.functional.linear(transformed, weight, b).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor hidden) => forward(hidden, null);
}
