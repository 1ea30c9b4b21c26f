using Sweeps.Pruning.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Squad;

/// <summary>A trainable linear layer giving each token a start and an end logit (Hugging Face's <c>qa_outputs</c>), for models without a masked-LM head.</summary>
public sealed class LinearSpanHead : SpanHead
{
    private readonly Linear qa_outputs;

    public LinearSpanHead(int hiddenSize) : base(nameof(LinearSpanHead))
    {
        qa_outputs = nn.Linear(hiddenSize, 2);
        RegisterComponents();
    }

    public override ClassifierMode Mode => ClassifierMode.LinearHead;

    public override IEnumerable<Parameter> TrainableParameters => parameters();

    public override Tensor forward(Tensor hidden, Tensor inputIds) => qa_outputs.call(hidden);
}
