using Sweeps.Artifacts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Orleans.TestingHost;
using Sweeps.Grains.Devices;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Hosting;
using Sweeps.Grains.Trials;

namespace Sweeps.Testing.Cluster;

/// <summary>
/// An in-process cluster of real silos (Orleans' TestingHost) sharing one SQLite store and one artefact folder. Silo i
/// gets <c>slots[i]</c> CPU slots in pool "cpu"; a silo given 0 slots joins pool "control" and never runs trials.
/// </summary>
public sealed class SweepTestCluster : IAsyncDisposable
{
    private readonly TemporaryFolder folder;

    private SweepTestCluster(InProcessTestCluster cluster, TemporaryFolder folder)
    {
        Cluster = cluster;
        this.folder = folder;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public string ArtifactRoot => Path.Combine(folder.Path, "artifacts");

    public TrialArtifactStore Store => new(ArtifactRoot);

    /// <summary>The SQLite file holding every grain's state.</summary>
    public string StatePath => Path.Combine(folder.Path, "sweeps.db");

    /// <param name="runner">A stand-in runner per silo, given the silo's slot count; null: the product's (worker processes).</param>
    /// <param name="runnerOf">A runner made from the silo's services (e.g. one that wraps the product's); overrides <paramref name="runner"/>.</param>
    /// <param name="trialStore">The trial store of each silo (default: SQLite in the cluster's file, as embedded).</param>
    public static async Task<SweepTestCluster> StartAsync(int[] slots, Func<int, ITrialRunner>? runner = null, Action<SweepsOptions>? tweak = null,
        TemporaryFolder? folder = null, Func<IServiceProvider, ITrialRunner>? runnerOf = null, Func<ITrialStore>? trialStore = null)
    {
        folder ??= new TemporaryFolder();
        var sqlite = Path.Combine(folder.Path, "sweeps.db");
        var artifacts = Path.Combine(folder.Path, "artifacts");
        var started = 0;
        var builder = new InProcessTestClusterBuilder((short)slots.Length);
        builder.ConfigureSilo((_, silo) =>
        {
            var count = slots[Interlocked.Increment(ref started) - 1 < slots.Length ? started - 1 : slots.Length - 1];
            silo.AddSweeps(o =>
            {
                o.Pool = count == 0 ? "control" : "cpu";
                o.CpuSlots = Math.Max(1, count);
                o.ArtifactRoot = artifacts;
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
                o.HeartbeatTimeout = TimeSpan.FromSeconds(5);
                o.SweepCheckInterval = TimeSpan.FromMilliseconds(250);
                o.CapacityReportInterval = TimeSpan.FromMilliseconds(250);
                o.RetryBackoff = TimeSpan.FromMilliseconds(100);
                o.CheckpointEverySteps = 2;
                // One thread per trial worker: several silos of this process, and other test assemblies, share two cores,
                // and libtorch's threads waiting on each other across busy cores slow a tiny trial many times over.
                o.Worker.Threads = 1;
                tweak?.Invoke(o);
            });
            silo.Services.AddKeyedSingleton<IGrainStorage>(SweepGrain.StorageName,
                (sp, _) => new SqliteGrainStorage(sqlite, sp.GetRequiredService<IGrainStorageSerializer>()));
            silo.Services.AddSingleton<ITrialStore>(_ => trialStore?.Invoke() ?? new SqliteTrialStore(sqlite));
            silo.UseInMemoryReminderService();
            if (runnerOf is not null) silo.Services.AddSingleton(runnerOf);
            else if (runner is not null) silo.Services.AddSingleton(_ => runner(count));
        });
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SweepTestCluster(cluster, folder);
    }

    /// <summary>The slot manager of every live silo, by silo address.</summary>
    public IReadOnlyDictionary<string, DeviceSlotManager> SlotManagers() =>
        Cluster.Silos.ToDictionary(s => s.SiloAddress.ToString(), s => s.ServiceProvider.GetRequiredService<DeviceSlotManager>());

    /// <summary>
    /// The sweep's trial records as last written to the store: what its grain reads back when it is activated again
    /// after the silo holding it died. Read through a silo that tests never kill (the first).
    /// </summary>
    public async Task<SweepState> StoredTrials(string sweepId) =>
        (await Cluster.Silos[0].ServiceProvider.GetRequiredService<ITrialStore>().ReadAsync(sweepId)).Decode();

    public async Task<SweepStatus> WaitUntilFinished(string sweepId, TimeSpan timeout, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var progress = await Client.GetGrain<ISweepGrain>(sweepId).GetProgress();
            if (progress is { IsFinished: true }) return (await Client.GetGrain<ISweepGrain>(sweepId).GetStatus())!;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep {sweepId} unfinished after {timeout}: " +
                                           string.Join(", ", progress?.Counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}") ?? []));
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        folder.Dispose();
    }
}
