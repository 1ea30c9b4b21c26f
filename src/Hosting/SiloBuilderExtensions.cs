using Sweeps.Artifacts;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Sweeps.Grains.Devices;
using Sweeps.Grains.Metrics;
using Sweeps.Grains.Placement;
using Sweeps.Grains.Security;
using Sweeps.Grains.Storage;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Grains.Workers;
using Sweeps.Grains.Hosting;
using Sweeps.Pruning;
using Sweeps.Pruning.Export;

namespace Sweeps.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// The sweep grains' services: this silo's device slots and their capacity reports, the device-slot placement,
    /// the artefact store and its exports, and the trial runner that runs each attempt in a worker process. Settings come from <c>Sweeps:*</c>, then <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder AddSweeps(this ISiloBuilder silo, Action<SweepsOptions>? configure = null)
    {
        var options = silo.Services.AddOptions<SweepsOptions>().Bind(silo.Configuration.GetSection(SweepsOptions.Section)).ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        silo.Services.AddSingleton<IValidateOptions<SweepsOptions>, SweepsOptionsValidator>();
        silo.Services.AddSingleton<DeviceSlotManager>();
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<SweepsMetrics>();
        silo.Services.AddHostedService<MetricsStartup>();
        silo.Services.AddSingleton<StoreProbe>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<CapacityReporter>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CapacityReporter>());
        silo.Services.TryAddSingleton(_ => SweepsCache.Default());
        silo.Services.TryAddSingleton(sp =>
        {
            var root = sp.GetRequiredService<IOptions<SweepsOptions>>().Value.ArtifactRoot;
            return new TrialArtifactStore(root.Length > 0 ? root : Path.Combine(sp.GetRequiredService<SweepsCache>().Root, "artifacts"));
        });
        // The pages' export downloads (src/Web) run the engine through this; the pages themselves load no engine.
        silo.Services.TryAddSingleton<ITrialExporter>(sp => new EngineTrialExporter(sp.GetRequiredService<SweepsCache>()));
        silo.Services.AddSingleton<TrialInputGuard>();
        silo.Services.AddSingleton<SiloHeartbeats>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<SiloHeartbeats>());
        silo.Services.AddSingleton(sp => new WorkerLauncher(sp.GetRequiredService<IOptions<SweepsOptions>>().Value.Worker,
            sp.GetRequiredService<DeviceSlotManager>().Slots.Count));
        silo.Services.AddHostedService<OrphanedWorkers>();
        silo.Services.TryAddSingleton<ITrialRunner, WorkerTrialRunner>();
        // Plaintext unless the store (embedded: the local user) or TLS (certificates) said who callers are.
        silo.Services.TryAddSingleton(CallerAuthenticator.None);
        silo.AddPlacementDirector<DeviceSlotPlacement, DeviceSlotPlacementDirector>();
        return silo;
    }

    /// <summary>
    /// Membership, grain state and reminders: the embedded store (localhost, SQLite) or the cluster store (Redis), its
    /// connections over TLS where <paramref name="tls"/> is given (Orleans' connections, and Redis where its connection
    /// string asks for <c>ssl=true</c>).
    /// </summary>
    public static ISiloBuilder UseSweepsStore(this ISiloBuilder silo, StoreOptions store, ClusterCredentials? tls = null)
    {
        store.Validate();
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = store.ClusterId;
            o.ServiceId = store.ServiceId;
        });
        if (store.IsRedis)
        {
            var redis = store.RedisConnectionString();
            if (store.AdvertisedAddress.Length > 0)
                silo.ConfigureEndpoints(IPAddress.Parse(store.AdvertisedAddress), store.SiloPort, store.GatewayPort, listenOnAnyHostAddress: true);
            else
                silo.ConfigureEndpoints(Dns.GetHostName(), store.SiloPort, store.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseRedisClustering(o => o.ConfigurationOptions = TlsConnections.RedisOptions(redis, tls));
            silo.AddRedisGrainStorage(SweepGrain.StorageName, o => o.ConfigurationOptions = TlsConnections.RedisOptions(redis, tls));
            silo.Services.AddSingleton<ITrialStore>(_ => new RedisTrialStore(TlsConnections.RedisOptions(redis, tls), store.ServiceId));
            silo.UseRedisReminderService(o => o.ConfigurationOptions = TlsConnections.RedisOptions(redis, tls));
            if (tls is not null) silo.UseSweepsTls(tls);
            return silo;
        }
        var sqlitePath = store.SqlitePath.Length > 0 ? store.SqlitePath : Path.Combine(SweepsCache.Default().Root, "embedded", "sweeps.db");
        silo.UseLocalhostClustering(store.SiloPort == 0 ? FreePort() : store.SiloPort, store.GatewayPort == 0 ? FreePort() : store.GatewayPort,
            serviceId: store.ServiceId, clusterId: store.ClusterId);
        silo.Services.AddKeyedSingleton<IGrainStorage>(SweepGrain.StorageName,
            (sp, _) => new SqliteGrainStorage(sqlitePath, sp.GetRequiredService<IGrainStorageSerializer>()));
        silo.Services.AddSingleton<ITrialStore>(_ => new SqliteTrialStore(sqlitePath));
        silo.UseInMemoryReminderService();
        return silo;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
