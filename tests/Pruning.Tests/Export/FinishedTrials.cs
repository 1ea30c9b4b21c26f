using Sweeps.Artifacts;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Export;

/// <summary>
/// An artefact store holding finished tiny trials, trained once for the export tests: SMP-S trials with a linear head
/// and with the label-word (masked-LM) head, on the tiny classification task and on tiny SQuAD, and a movement trial
/// whose head reads the pooler (its method's reference).
/// </summary>
public sealed class FinishedTrials : IDisposable
{
    public const string Linear = "linear-trial";
    public const string LabelWords = "label-word-trial";
    public const string Span = "span-trial";
    public const string LabelWordSpan = "label-word-span-trial";
    public const string Pooled = "pooled-trial";

    public FinishedTrials()
    {
        Store = new TrialArtifactStore(Path.Combine(Folder.Path, "artifacts"));
        Train(Linear, Plain, ClassifierMode.LinearHead);
        Train(LabelWords, WithMaskedLmHead, ClassifierMode.MaskedLmHead);
        var squad = SquadTask.Read(TinySquad.WriteFolder(Folder, trainCount: 32, devCount: 8));
        Train(Span, Plain, ClassifierMode.LinearHead, squad);
        Train(LabelWordSpan, WithMaskedLmHead, ClassifierMode.MaskedLmHead, squad);
        Train(Pooled, Plain, ClassifierMode.LinearHead, method: PruningMethod.Movement);
    }

    public TemporaryFolder Folder { get; } = new();
    public TinyBert Plain { get; } = new();
    public TinyBert WithMaskedLmHead { get; } = new(withMaskedLmHead: true);
    public TextTask Task { get; } = TinyTasks.Spam();
    public TrialArtifactStore Store { get; }
    public SweepsCache Cache => new(Path.Combine(Folder.Path, "cache"));

    public static TrialConfig Config(ITrialTask task, TinyBert model, ClassifierMode classifier, PruningMethod method = PruningMethod.SmpScoreAllocated) => new()
    {
        Task = task.Name,
        Model = model.Directory,
        Method = method,
        Classifier = classifier,
        Keep = 0.3,
        Epochs = 2,
        BatchSize = 16,
        MaxLength = 16,
        HeadLearningRate = 1e-2,
        Seed = 7,
    };

    /// <summary>Trains a trial into the store under <paramref name="trialId"/> and records its result, as a worker does.</summary>
    public TrialResult Train(string trialId, TinyBert model, ClassifierMode classifier, ITrialTask? task = null, PruningMethod method = PruningMethod.SmpScoreAllocated)
    {
        task ??= Task;
        var result = new TrialTrainer(Config(task, model, classifier, method), task, model.Folder, Store.FolderOf(trialId), Cache).Run();
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

/// <summary>The export tests share one store of finished trials (training them is most of their time).</summary>
[CollectionDefinition(Name)]
public sealed class FinishedTrialsCollection : ICollectionFixture<FinishedTrials>
{
    public const string Name = "finished trials";
}
