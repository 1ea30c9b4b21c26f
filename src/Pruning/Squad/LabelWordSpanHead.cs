using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Squad;

/// <summary>
/// Spans with the frozen masked-LM head, as the paper classifies with it: at every token, the head's logits of two label
/// words serve as the start and the end logit. Nothing in it trains; only the encoder's masks do.
/// </summary>
public sealed class LabelWordSpanHead : SpanHead
{
    private readonly Func<Tensor, long[], Tensor> maskedLm;

    /// <param name="labelWordIds">Vocabulary ids of the start word and the end word.</param>
    public LabelWordSpanHead(BertOnlyMLMHead head, long[] labelWordIds) : base(nameof(LabelWordSpanHead))
    {
        if (labelWordIds.Length != 2) throw new ArgumentException($"a span head reads 2 label words (start, end), got {labelWordIds.Length}");
        maskedLm = head.forward; // a reference, not a child module: the head's parameters stay the model's own
        LabelWordIds = labelWordIds;
    }

    /// <summary>
    /// The words whose logits are read: "yes" for the start and "no" for the end, as the reference's run_squad.sh reads
    /// them (its label map {0: Yes, 1: No}, lower-cased by the uncased tokenizer).
    /// </summary>
    public static IReadOnlyList<string> DefaultLabelWords { get; } = ["yes", "no"];

    public long[] LabelWordIds { get; }

    public override ClassifierMode Mode => ClassifierMode.MaskedLmHead;

    public override IEnumerable<Parameter> TrainableParameters => [];

    /// <summary>Builds the head for a model; a model without <c>cls.predictions.*</c> or a word outside the vocabulary is a clear error.</summary>
    public static LabelWordSpanHead For(PretrainedBert model, BertTextEncoder encoder, IReadOnlyList<string> labelWords, string modelName)
    {
        var head = model.MaskedLmHead ?? throw new ArgumentException(
            $"model '{modelName}' has no masked-LM head (cls.predictions.*), which span classifier 'mlm' needs; use classifier 'linear'");
        return new LabelWordSpanHead(head, LabelWordPieces.Ids(encoder, labelWords));
    }

    public override Tensor forward(Tensor hidden, Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var (batch, tokens, size) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        var logits = maskedLm(hidden.reshape(batch * tokens, size), LabelWordIds);
        return logits.reshape(batch, tokens, 2).MoveToOuterDisposeScope();
    }
}
