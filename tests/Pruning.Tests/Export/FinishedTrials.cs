using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Export;

/// <summary>
/// An artefact store holding finished tiny trials, trained once for the export tests: an SMP-S trial with a linear head
/// and one with the label-word (masked-LM) head, each on its own tiny BERT.
/// </summary>
public sealed class FinishedTrials : IDisposable
{
    public const string Linear = "linear-trial";
    public const string LabelWords = "label-word-trial";

    public FinishedTrials()
    {
        Store = new TrialArtifactStore(Path.Combine(Folder.Path, "artifacts"));
        Train(Linear, Plain, ClassifierMode.LinearHead);
        Train(LabelWords, WithMaskedLmHead, ClassifierMode.MaskedLmHead);
    }

    public TemporaryFolder Folder { get; } = new();
    public TinyBert Plain { get; } = new();
    public TinyBert WithMaskedLmHead { get; } = new(withMaskedLmHead: true);
    public TextTask Task { get; } = TinyTasks.Spam();
    public TrialArtifactStore Store { get; }
    public SweepsCache Cache => new(Path.Combine(Folder.Path, "cache"));

    public static TrialConfig Config(TextTask task, TinyBert model, ClassifierMode classifier) => new()
    {
        Task = task.Name,
        Model = model.Directory,
        Method = PruningMethod.SmpScoreAllocated,
        Classifier = classifier,
        Keep = 0.3,
        Epochs = 2,
        BatchSize = 16,
        MaxLength = 16,
        HeadLearningRate = 1e-2,
        Seed = 7,
    };

    /// <summary>Trains a trial into the store under <paramref name="trialId"/> and records its result, as a worker does.</summary>
    public TrialResult Train(string trialId, TinyBert model, ClassifierMode classifier)
    {
        var result = new TrialTrainer(Config(Task, model, classifier), Task, model.Folder, Store.FolderOf(trialId), Cache).Run();
        Store.SaveResult(trialId, result);
        return result;
    }

    public void Dispose()
    {
        Plain.Dispose();
        WithMaskedLmHead.Dispose();
        Folder.Dispose();
    }
}
