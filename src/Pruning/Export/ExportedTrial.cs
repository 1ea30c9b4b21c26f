using System.Text.Json;
using Sweeps.Artifacts;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;

namespace Sweeps.Pruning.Export;

/// <summary>
/// A finished trial read back for export: its result, its artefact's metadata, the model folder its weights come from
/// (the base model named in the artefact, or the fine-tuned copy the artefact carries) and the trained model with its
/// masks. Opening checks that the trial exists and is done and that the model folder found is the one the artefact was
/// trained on, before anything is written.
/// </summary>
public sealed class ExportedTrial : IDisposable
{
    private ExportedTrial(string trialId, string folder, TrialResult result, IReadOnlyDictionary<string, string> metadata,
        ModelFolder modelFolder, TrainedModel trained)
    {
        TrialId = trialId;
        Folder = folder;
        Result = result;
        Metadata = metadata;
        ModelFolder = modelFolder;
        Trained = trained;
    }

    public string TrialId { get; }

    /// <summary>The trial's folder in the artefact store.</summary>
    public string Folder { get; }

    public TrialResult Result { get; }

    /// <summary>The artefact's metadata (method, classifier, base_model, task, labels, …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The folder the weights, config.json and tokenizer files come from.</summary>
    public ModelFolder ModelFolder { get; }

    /// <summary>The trained model: base weights with the masks set, and the head.</summary>
    public TrainedModel Trained { get; }

    /// <summary>The base model as the trial named it (a built-in name or a folder path).</summary>
    public string BaseModel => Metadata.GetValueOrDefault("base_model") ?? ModelFolder.Path;

    public string ArtifactPath => Path.Combine(Folder, TrialArtifact.FileName);

    public ExportArchitecture Architecture => Trained.Head switch
    {
        LinearClassifierHead => ExportArchitecture.SequenceClassification,
        LinearSpanHead => ExportArchitecture.QuestionAnswering,
        _ => ExportArchitecture.MaskedLm,
    };

    /// <summary>The task's label names in output order, as the artefact recorded them (empty for span tasks).</summary>
    public IReadOnlyList<string> Labels =>
        Metadata.TryGetValue("labels", out var labels) ? JsonSerializer.Deserialize<string[]>(labels) ?? [] : [];

    /// <summary>Reads trial <paramref name="trialId"/> from <paramref name="store"/>; every refusal is one line naming the cause.</summary>
    public static ExportedTrial Open(TrialArtifactStore store, string trialId, SweepsCache cache)
    {
        if (string.IsNullOrWhiteSpace(trialId) || trialId.IndexOfAny(['/', '\\']) >= 0 || trialId is "." or "..")
            throw new ArgumentException($"'{trialId}' is not a trial id");
        var folder = store.FolderOf(trialId);
        if (!Directory.Exists(folder))
            throw new ArgumentException($"no trial '{trialId}' in the artefact store at {store.Root}");
        var result = store.TryGetResult(trialId)
            ?? throw new ArgumentException($"trial '{trialId}' is not done: {Path.Combine(folder, TrialArtifactStore.ResultFileName)} does not exist yet");
        var artifact = Path.Combine(folder, TrialArtifact.FileName);
        if (!File.Exists(artifact))
            throw new ArgumentException($"trial '{trialId}' is done but left no {TrialArtifact.FileName} in {folder}");

        IReadOnlyDictionary<string, string> metadata;
        using (var file = SafetensorsFile.Open(artifact)) metadata = new Dictionary<string, string>(file.Metadata);
        var ownWeights = Path.Combine(folder, TrialArtifact.ModelFolderName);
        var modelFolder = Directory.Exists(ownWeights) ? ModelFolder.Open(ownWeights)
            : BuiltInModels.Resolve(metadata.GetValueOrDefault("base_model")
                ?? throw new ModelFormatException(artifact, "artefact metadata has no 'base_model'"), cache);
        ArtifactFit.Check(artifact, metadata, modelFolder);

        var trained = TrialArtifact.Load(folder, cache);
        return new ExportedTrial(trialId, folder, result, metadata, modelFolder, trained);
    }

    /// <summary>The masked matrices of the trained model, each with its mask (null for a dense trial).</summary>
    public IReadOnlyList<PrunableMatrix> Matrices => PrunableMatrix.Of(Trained.Model);

    public void Dispose() => Trained.Dispose();
}
