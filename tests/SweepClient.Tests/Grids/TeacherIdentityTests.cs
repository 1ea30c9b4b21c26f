using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.SweepClient.Grids;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Grids;

/// <summary>A trial folder given as a teacher must have been trained for the student's task, labels and vocabulary.</summary>
public sealed class TeacherIdentityTests : IDisposable
{
    private readonly TemporaryFolder work = new("sweeps-teacher-");

    public void Dispose() => work.Dispose();

    /// <summary>A trial's output folder whose artefact records <paramref name="identity"/> (no tensors: only its metadata is read at submit).</summary>
    private string TeacherTrial(string name, ArtifactIdentity identity)
    {
        var folder = Directory.CreateDirectory(Path.Combine(work.Path, name)).FullName;
        var metadata = new Dictionary<string, string>();
        identity.WriteTo(metadata);
        SafetensorsFile.Write(Path.Combine(folder, TrialArtifact.FileName), Array.Empty<SafetensorsBlob>(), metadata);
        return folder;
    }

    private string Grid(string task, string teacher)
    {
        TinyTasks.WriteSst2Folder(work, name: task);
        return work.Write($"{task}-{Path.GetFileName(teacher)}.yaml",
            $"name: x\ntasks:\n  - {{name: {task}, data: {task}, teacher: {teacher}}}\nkeep: 0.5\ndistillation: [teacher]\n");
    }

    [Fact]
    public void TeacherOfAnotherTask_WithTheSameLabelCount_IsRefusedAtSubmit()
    {
        var sst2Teacher = TeacherTrial("sst2-teacher", new ArtifactIdentity("sst2", GlueFormats.Sst2.LabelNames, "v"));

        var refused = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid("cola", sst2Teacher)));

        var error = Assert.Single(refused.Errors);
        Assert.Contains("cannot teach cola", error.Message);
        Assert.Contains("trained on task 'sst2'", error.Message);
    }

    [Fact]
    public void TeacherWithTheLabelsInAnotherOrder_IsRefusedAtSubmit()
    {
        var reversed = TeacherTrial("reversed", new ArtifactIdentity("sst2", GlueFormats.Sst2.LabelNames.Reverse().ToList(), "v"));

        var refused = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid("sst2", reversed)));

        Assert.Contains("its labels are", Assert.Single(refused.Errors).Message);
    }

    [Fact]
    public void TeacherOfTheSameTaskAndLabels_IsAccepted_AndOneThatRecordedNothingIsNotChecked()
    {
        var matching = TeacherTrial("matching", new ArtifactIdentity("sst2", GlueFormats.Sst2.LabelNames, "v"));
        var older = TeacherTrial("older", new ArtifactIdentity(null, null, null));

        Assert.Single(GridFile.Load(Grid("sst2", matching)).Trials);
        Assert.Single(GridFile.Load(Grid("sst2", older)).Trials);
    }

    [Fact]
    public void TeacherOfAnotherVocabulary_CannotTeach()
    {
        var teacher = new ArtifactIdentity("sst2", ["negative", "positive"], "aaaa");

        Assert.Contains("vocabulary", teacher.MismatchWith(new ArtifactIdentity("sst2", ["negative", "positive"], "bbbb")));
        Assert.Null(teacher.MismatchWith(new ArtifactIdentity("sst2", ["negative", "positive"], "aaaa")));
    }
}
