using Sweeps.Pruning.Models;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>
/// Dropout and a linear layer on the [CLS] hidden state, or — with a pooler — on the pooler's output tanh(W h + b), as
/// Hugging Face's BertForSequenceClassification reads it. Parameters are named <c>classifier.*</c> and
/// <c>pooler.dense.*</c>.
/// </summary>
public sealed class LinearClassifierHead : ClassifierHead
{
    private readonly BertPooler? pooler;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    /// <param name="pooler">Read the [CLS] state through a pooler of its own (initialised by the caller).</param>
    public LinearClassifierHead(int hiddenSize, int outputs, double dropoutProbability, bool pooler = false) : base(nameof(LinearClassifierHead))
    {
        this.pooler = pooler ? new BertPooler(hiddenSize) : null;
        dropout = nn.Dropout(dropoutProbability);
        classifier = nn.Linear(hiddenSize, outputs);
        RegisterComponents();
    }

    /// <summary>
    /// A trial's new head: with a pooler, that of the checkpoint where it has one, else initialised as Hugging Face
    /// initialises a missing one (N(0, 0.02) weights, zero bias); the classifier N(0, <paramref name="initStd"/>²) with
    /// zero bias, or TorchSharp's default initialisation where <paramref name="initStd"/> is 0.
    /// </summary>
    public static LinearClassifierHead Create(PretrainedBert model, int outputs, bool pooler, double initStd)
    {
        var head = new LinearClassifierHead(model.Config.HiddenSize, outputs, model.Config.HiddenDropoutProb, pooler);
        using var noGrad = no_grad();
        if (head.pooler is { } own)
        {
            if (model.PoolerLoaded) own.CopyFrom(model.Encoder.Pooler);
            else own.InitializeNormal(MethodReference.InitializerRange);
        }
        if (initStd > 0)
        {
            head.classifier.weight!.normal_(0, initStd);
            head.classifier.bias!.zero_();
        }
        return head;
    }

    public override ClassifierMode Mode => ClassifierMode.LinearHead;

    /// <summary>Whether the head reads the pooler's output.</summary>
    public bool HasPooler => pooler is not null;

    public override IEnumerable<Parameter> TrainableParameters => parameters();

    /// <summary>The pooler's parameters (none without one): pre-trained weights, which the baselines train at the weights' rate.</summary>
    public IEnumerable<Parameter> PoolerParameters => pooler?.parameters() ?? [];

    public override Tensor forward(Tensor hidden, Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var features = pooler is null ? hidden.select(1, 0) : pooler.call(hidden);
        return classifier.call(dropout.call(features)).MoveToOuterDisposeScope();
    }
}
