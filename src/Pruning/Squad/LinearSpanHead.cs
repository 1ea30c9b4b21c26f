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

    /// <summary>A trial's new head: weights N(0, <paramref name="initStd"/>²) and zero bias, or TorchSharp's default initialisation where it is 0.</summary>
    public static LinearSpanHead Create(int hiddenSize, double initStd)
    {
        var head = new LinearSpanHead(hiddenSize);
        if (initStd > 0)
        {
            using var noGrad = no_grad();
            head.qa_outputs.weight!.normal_(0, initStd);
            head.qa_outputs.bias!.zero_();
        }
        return head;
    }

    public override ClassifierMode Mode => ClassifierMode.LinearHead;

    public override IEnumerable<Parameter> TrainableParameters => parameters();

    public override Tensor forward(Tensor hidden, Tensor inputIds) => qa_outputs.call(hidden);
}
