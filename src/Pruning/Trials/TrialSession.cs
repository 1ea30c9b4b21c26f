using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using TorchSharp.Modules;
using TorchSharp;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// Everything one trial's run is built from: the device, the model with its pruner (and the mask churn's baseline) and
/// head, the objective with its encoded training set, the plan, and the optimiser over the parameter groups. Disposed in
/// the reverse order of building.
/// </summary>
public sealed class TrialSession(
    torch.Device device, IReadOnlyList<string> vocabulary, PretrainedBert model, BertTextEncoder encoder, TrialObjective objective,
    ClassifierHead head, Pruner pruner, MaskChurn? churn, TrainingPlan plan, IReadOnlyList<TrialSession.Group> groups, TrialOptimizer optimizer) : IDisposable
{
    /// <summary>Parameters trained at one learning rate (warmed up and decayed with the others).</summary>
    public sealed record Group(List<Parameter> Parameters, double LearningRate);

    public torch.Device Device => device;
    public IReadOnlyList<string> Vocabulary => vocabulary;
    public PretrainedBert Model => model;
    public BertTextEncoder Encoder => encoder;
    public TrialObjective Objective => objective;
    public ClassifierHead Head => head;
    public Pruner Pruner => pruner;

    /// <summary>Measures the masks' churn at each evaluation; null for a method without masks.</summary>
    public MaskChurn? Churn => churn;
    public TrainingPlan Plan => plan;
    public IReadOnlyList<Group> Groups => groups;
    public TrialOptimizer Optimizer => optimizer;

    /// <summary>Every trained parameter, for gradient clipping.</summary>
    public IReadOnlyList<Parameter> Trained { get; } = groups.SelectMany(g => g.Parameters).ToList();

    public void Dispose()
    {
        optimizer.Dispose();
        churn?.Dispose();
        pruner.Dispose();
        head.Dispose();
        objective.Dispose();
        model.Dispose();
    }
}
