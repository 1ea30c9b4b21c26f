using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>
/// The paper's classifier: the pre-trained masked-LM head, frozen, applied to the first [MASK] token's hidden state
/// (or [CLS] when the input has no [MASK]), keeping only the logits of one label word per class.
/// </summary>
public sealed class LabelWordHead : ClassifierHead
{
    private readonly Func<Tensor, long[], Tensor> maskedLm;
    private readonly long maskTokenId;

    /// <param name="labelWordIds">Vocabulary ids of the label words, in label order.</param>
    public LabelWordHead(BertOnlyMLMHead head, long[] labelWordIds, long maskTokenId) : base(nameof(LabelWordHead))
    {
        maskedLm = head.forward; // a reference, not a child module: the head's parameters stay the model's own
        LabelWordIds = labelWordIds;
        this.maskTokenId = maskTokenId;
    }

    public long[] LabelWordIds { get; }

    public override ClassifierMode Mode => ClassifierMode.MaskedLmHead;

    public override IEnumerable<Parameter> TrainableParameters => [];

    /// <summary>Builds the head for a model and task; a model without <c>cls.predictions.*</c> is a clear error.</summary>
    public static LabelWordHead For(PretrainedBert model, BertTextEncoder encoder, IReadOnlyList<string> labelWords, string modelName)
    {
        var head = model.MaskedLmHead ?? throw new ArgumentException(
            $"model '{modelName}' has no masked-LM head (cls.predictions.*), which classifier 'mlm' needs; use classifier 'linear'");
        return new LabelWordHead(head, LabelWordPieces.Ids(encoder, labelWords), encoder.MaskTokenId);
    }

    public override Tensor forward(Tensor hidden, Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        // argmax of the [MASK] indicator is the first [MASK], or position 0 ([CLS]) where there is none.
        var position = (inputIds == maskTokenId).to(ScalarType.Int32).argmax(1);
        var rows = arange(hidden.shape[0], device: hidden.device);
        var selected = hidden.index(rows, position);
        return maskedLm(selected, LabelWordIds).MoveToOuterDisposeScope();
    }
}
