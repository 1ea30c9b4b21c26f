using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// What a trial's artefact was trained for — its task, its labels in order, the vocabulary its model reads — kept in
/// the artefact's metadata, so a teacher for another task, other labels or another vocabulary is refused instead of
/// silently distilled from. Artefacts written before these were recorded carry none and are not checked.
/// </summary>
public sealed record ArtifactIdentity(string? Task, IReadOnlyList<string>? Labels, string? Vocabulary)
{
    private const string TaskKey = "task";
    private const string LabelsKey = "labels";
    private const string VocabularyKey = "vocabulary";

    public static ArtifactIdentity Of(ITrialTask task, IEnumerable<string> vocabulary) =>
        new(task.Name, task is TextTask text ? text.LabelNames : [], VocabularyHash(vocabulary));

    public void WriteTo(IDictionary<string, string> metadata)
    {
        if (Task is not null) metadata[TaskKey] = Task;
        if (Labels is not null) metadata[LabelsKey] = JsonSerializer.Serialize(Labels);
        if (Vocabulary is not null) metadata[VocabularyKey] = Vocabulary;
    }

    /// <summary>The identity recorded in a trial folder's artefact.</summary>
    public static ArtifactIdentity Read(string trialFolder)
    {
        using var file = SafetensorsFile.Open(Path.Combine(trialFolder, TrialArtifact.FileName));
        var meta = file.Metadata;
        return new ArtifactIdentity(meta.GetValueOrDefault(TaskKey),
            meta.TryGetValue(LabelsKey, out var labels) ? JsonSerializer.Deserialize<string[]>(labels) : null,
            meta.GetValueOrDefault(VocabularyKey));
    }

    /// <summary>Why this artefact cannot teach <paramref name="student"/>; null when it can (or recorded nothing to compare).</summary>
    public string? MismatchWith(ArtifactIdentity student)
    {
        if (Task is not null && student.Task is not null && Task != student.Task)
            return $"it was trained on task '{Task}', the student's task is '{student.Task}'";
        if (Labels is not null && student.Labels is not null && !Labels.SequenceEqual(student.Labels))
            return $"its labels are [{string.Join(", ", Labels)}], the student's are [{string.Join(", ", student.Labels)}]";
        if (Vocabulary is not null && student.Vocabulary is not null && Vocabulary != student.Vocabulary)
            return "its model reads another vocabulary than the student's (vocab.txt differs)";
        return null;
    }

    /// <summary>The short hash an artefact records of its model's vocabulary (vocab.txt, line by line).</summary>
    public static string VocabularyHash(IEnumerable<string> vocabulary) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary)))).ToLowerInvariant()[..16];
}
