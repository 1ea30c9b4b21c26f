using Sweeps.Artifacts;
using Sweeps.Grains.Trials;
using Sweeps.Pruning.Training;
using Sweeps.Testing;

namespace Sweeps.Grains.Tests.Trials;

public sealed class TrialArtifactStoreTests : IDisposable
{
    private readonly TemporaryFolder root = new();

    public void Dispose() => root.Dispose();

    private static TrialResult Result(double accuracy) => new("sst2", "smp-s", "linear", 0.1,
        new Dictionary<string, double> { ["accuracy"] = accuracy }, 0.1, new Dictionary<string, double> { ["m"] = 0.1 },
        128, 10, 0, TimeSpan.FromSeconds(3), 1000, [new LossPoint(10, 0.5)], []);

    [Fact]
    public void SaveResult_ThenTryGetResult_RoundTripsTheResult()
    {
        var store = new TrialArtifactStore(root.Path);

        store.SaveResult("abc", Result(0.875));

        var loaded = store.TryGetResult("abc");
        Assert.NotNull(loaded);
        Assert.Equal(0.875, loaded.DevMetrics["accuracy"]);
        Assert.Equal(TimeSpan.FromSeconds(3), loaded.WallTime);
        Assert.Equal(new LossPoint(10, 0.5), Assert.Single(loaded.LossCurve));
    }

    [Fact]
    public void AResultOfAnEarlierEngineRevision_IsShown_ButNotReused()
    {
        var store = new TrialArtifactStore(root.Path);
        store.SaveResult("now", Result(0.9));
        Directory.CreateDirectory(store.FolderOf("before"));
        // A result.json as the engine wrote it before revisions were recorded: no EngineRevision.
        var earlier = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(store.FolderOf("now"), TrialArtifactStore.ResultFileName)))!.AsObject();
        earlier.Remove(nameof(TrialResult.EngineRevision));
        File.WriteAllText(Path.Combine(store.FolderOf("before"), TrialArtifactStore.ResultFileName), earlier.ToJsonString());

        Assert.Equal(TrialResult.CurrentEngineRevision, store.TryGetReusableResult("now")!.EngineRevision);
        Assert.Equal(0, store.TryGetResult("before")!.EngineRevision);
        Assert.Null(store.TryGetReusableResult("before")); // trained again, not reused
    }

    [Fact]
    public void TryGetResult_NoResult_Null() =>
        Assert.Null(new TrialArtifactStore(root.Path).TryGetResult("missing"));

    [Fact]
    public void TryGetResult_TornResultFile_TreatedAsNoResult()
    {
        var store = new TrialArtifactStore(root.Path);
        Directory.CreateDirectory(store.FolderOf("torn"));
        File.WriteAllText(Path.Combine(store.FolderOf("torn"), TrialArtifactStore.ResultFileName), "{\"Task\": \"sst2\", \"DevMe");

        Assert.Null(store.TryGetResult("torn"));
    }
}
