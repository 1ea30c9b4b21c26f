using Sweeps.Artifacts;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Export;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Export;

/// <summary>Exports that must be refused: each with a one-line error, and nothing written beside the destination.</summary>
[Collection(FinishedTrialsCollection.Name)]
public sealed class ExportRefusalTests(FinishedTrials trials) : IDisposable
{
    private readonly TemporaryFolder output = new();

    public void Dispose() => output.Dispose();

    private string Destination => Path.Combine(output.Path, "exported");

    private Exception Refused(string trialId, bool force = false)
    {
        var before = Directory.GetFileSystemEntries(output.Path).Order().ToList();
        var error = Record.Exception(() =>
            TrialExporter.Export(new ExportRequest(trials.Store, trialId, Destination, Force: force), trials.Cache));
        Assert.NotNull(error);
        Assert.True(error is ArgumentException or IOException or ModelFormatException, $"{error.GetType().Name}: {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(output.Path).Order().ToList()); // no temporary folder left behind
        return error;
    }

    [Fact]
    public void UnknownTrial_IsRefusedNamingTheStore()
    {
        var error = Refused("no-such-trial");
        Assert.Contains("no trial 'no-such-trial'", error.Message);
        Assert.Contains(trials.Store.Root, error.Message);
    }

    [Theory]
    [InlineData("../artifacts")]
    [InlineData("trials/x")]
    [InlineData("")]
    public void NotATrialId_IsRefused(string trialId) => Assert.Contains("not a trial id", Refused(trialId).Message);

    [Fact]
    public void OnnxInHalfPrecision_IsRefused()
    {
        var before = Directory.GetFileSystemEntries(output.Path);
        var error = Assert.Throws<ArgumentException>(() => TrialExporter.Export(
            new ExportRequest(trials.Store, FinishedTrials.Linear, Destination, ExportFormat.Onnx, ExportPrecision.Fp16), trials.Cache));
        Assert.Contains("fp32", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public void TrialNotDone_IsRefused()
    {
        // A running trial's folder holds its checkpoint, and no result yet.
        Directory.CreateDirectory(trials.Store.FolderOf("running-trial"));
        File.WriteAllText(Path.Combine(trials.Store.FolderOf("running-trial"), "checkpoint.safetensors"), "");
        Assert.Contains("is not done", Refused("running-trial").Message);
    }

    [Fact]
    public void NonEmptyFolder_IsRefusedAndKept_UnlessForced()
    {
        Directory.CreateDirectory(Destination);
        File.WriteAllText(Path.Combine(Destination, "notes.txt"), "mine");

        Assert.Contains("not empty", Refused(FinishedTrials.Linear).Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Destination, "notes.txt")));

        TrialExporter.Export(new ExportRequest(trials.Store, FinishedTrials.Linear, Destination, Force: true), trials.Cache);
        Assert.False(File.Exists(Path.Combine(Destination, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(Destination, ModelFolder.WeightsFileName)));
        Assert.Equal(["exported"], Directory.GetFileSystemEntries(output.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void EmptyFolder_IsUsed()
    {
        Directory.CreateDirectory(Destination);
        TrialExporter.Export(new ExportRequest(trials.Store, FinishedTrials.Linear, Destination), trials.Cache);
        Assert.True(File.Exists(Path.Combine(Destination, ModelFolder.WeightsFileName)));
    }

    [Fact]
    public void ArtefactOfAnotherShapeOfModel_IsRefused()
    {
        using var other = new TemporaryFolder();
        using (var wider = new PretrainedBert(TinyBert.Config with { HiddenSize = 16 }, withMaskedLmHead: false))
            BertCheckpointWriter.Save(wider, other.Path, TinyBert.Vocabulary);
        CopyTrialOnto("trial-on-a-wider-model", other.Path);

        var error = Refused("trial-on-a-wider-model");
        Assert.Contains("another base model", error.Message);
    }

    [Fact]
    public void ArtefactOfAnotherVocabulary_IsRefused()
    {
        using var other = new TemporaryFolder();
        var vocabulary = TinyBert.Vocabulary.Select(w => w == "spam" ? "eggs" : w).ToArray();
        using (var model = new PretrainedBert(TinyBert.Config, withMaskedLmHead: false))
            BertCheckpointWriter.Save(model, other.Path, vocabulary);
        CopyTrialOnto("trial-on-another-vocabulary", other.Path);

        var error = Refused("trial-on-another-vocabulary");
        Assert.Contains("vocabulary", error.Message);
        Assert.Contains("another base model", error.Message);
    }

    // The linear trial's artefact and result under a new id, its metadata naming another model folder as its base.
    private void CopyTrialOnto(string trialId, string baseModel)
    {
        var source = trials.Store.FolderOf(FinishedTrials.Linear);
        var target = trials.Store.FolderOf(trialId);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(source, TrialArtifactStore.ResultFileName), Path.Combine(target, TrialArtifactStore.ResultFileName), overwrite: true);
        using var file = SafetensorsFile.Open(Path.Combine(source, TrialArtifact.FileName));
        var metadata = new Dictionary<string, string>(file.Metadata) { ["base_model"] = baseModel };
        var blobs = file.Entries.Values.Select(e => new SafetensorsBlob(e.Name, e.DType, e.Shape, file.ReadBytes(e.Name))).ToList();
        SafetensorsFile.Write(Path.Combine(target, TrialArtifact.FileName), blobs, metadata);
    }
}
