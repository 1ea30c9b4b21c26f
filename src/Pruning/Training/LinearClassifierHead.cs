using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>Dropout and a linear layer on the [CLS] hidden state; parameters named <c>classifier.*</c> as in Hugging Face.</summary>
public sealed class LinearClassifierHead : ClassifierHead
{
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public LinearClassifierHead(int hiddenSize, int outputs, double dropoutProbability) : base(nameof(LinearClassifierHead))
    {
        dropout = nn.Dropout(dropoutProbability);
        classifier = nn.Linear(hiddenSize, outputs);
        RegisterComponents();
    }

    public override ClassifierMode Mode => ClassifierMode.LinearHead;

    public override IEnumerable<Parameter> TrainableParameters => parameters();

    public override Tensor forward(Tensor hidden, Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        return classifier.call(dropout.call(hidden.select(1, 0))).MoveToOuterDisposeScope();
    }
}
