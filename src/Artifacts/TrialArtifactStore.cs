using System.Text.Json;

namespace Sweeps.Artifacts;

/// <summary>
/// The artefact store: one folder per trial id (<c>trials/&lt;id&gt;/</c>) holding its checkpoint while it runs, then
/// its artefact and <c>result.json</c>. A trial whose result.json exists is finished, whichever sweep ran it.
/// </summary>
public sealed class TrialArtifactStore(string root)
{
    public const string ResultFileName = "result.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Root { get; } = Path.GetFullPath(root);

    public string FolderOf(string trialId) => Path.Combine(Root, "trials", trialId);

    /// <summary>The finished result of a trial, or null when it has none yet.</summary>
    public TrialResult? TryGetResult(string trialId)
    {
        var path = Path.Combine(FolderOf(trialId), ResultFileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<TrialResult>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null; // a torn result is no result: the trial runs again
        }
    }

    /// <summary>
    /// The result a trial may reuse instead of training: one this engine's revision made (an earlier engine's result
    /// for the same settings is what the engine computed then, not what it computes now).
    /// </summary>
    public TrialResult? TryGetReusableResult(string trialId) =>
        TryGetResult(trialId) is { EngineRevision: TrialResult.CurrentEngineRevision } result ? result : null;

    /// <summary>Records a result made by this engine (temporary file, then rename: a crash never leaves half a result).</summary>
    public void SaveResult(string trialId, TrialResult result)
    {
        result = result with { EngineRevision = TrialResult.CurrentEngineRevision };
        var folder = FolderOf(trialId);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ResultFileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(result, Indented));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
