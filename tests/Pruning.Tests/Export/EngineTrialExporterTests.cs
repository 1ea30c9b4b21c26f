using Sweeps.Artifacts;
using Sweeps.Pruning.Export;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Export;

/// <summary>The engine's export as the pages ask for it: a trial it cannot export is refused in one exception type, saying why.</summary>
public sealed class EngineTrialExporterTests : IDisposable
{
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    [Fact]
    public void ATrialThatIsNotDone_IsNotExportable_AndTheMessageSaysWhy()
    {
        var store = new TrialArtifactStore(Path.Combine(work.Path, "store"));
        Directory.CreateDirectory(store.FolderOf("running-trial"));
        var exporter = new EngineTrialExporter(new SweepsCache(Path.Combine(work.Path, "cache")));

        var error = Assert.Throws<TrialNotExportableException>(() =>
            exporter.Export(store, "running-trial", Path.Combine(work.Path, "exported"), ExportFormat.HuggingFace, "sweep-1", "a test"));

        Assert.Contains("trial 'running-trial' is not done", error.Message);
        Assert.False(Directory.Exists(Path.Combine(work.Path, "exported")));
    }
}
