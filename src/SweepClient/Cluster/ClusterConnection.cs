using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Serilog;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Hosting;
using Sweeps.SweepClient.Commands;

namespace Sweeps.SweepClient.Cluster;

/// <summary>
/// The CLI's way into the cluster: an Orleans client of a Redis-backed cluster (through its Redis or one gateway), or the embedded cluster — one silo in
/// this process with its state in SQLite — which lives as long as the command does. Disposing stops it gracefully:
/// running trials checkpoint, and the next command that opens the embedded cluster resumes them.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost host;
    private readonly FileStream? embeddedLock;
    private readonly ClusterCredentials? credentials;

    private ClusterConnection(IHost host, FileStream? embeddedLock, ClusterCredentials? credentials = null)
    {
        this.host = host;
        this.embeddedLock = embeddedLock;
        this.credentials = credentials;
    }

    /// <summary>The embedded cluster's log of warnings and errors, in its state folder.</summary>
    public const string LogFileName = "sweep.log";

    /// <summary>How long a command keeps trying to reach a cluster before it says it cannot.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Proof, by this client's certificate, that it asks for <paramref name="action"/>; null without TLS (the embedded cluster knows its user).</summary>
    public CallerProof? Prove(string action) => credentials is null ? null : CallerProof.Sign(credentials.Certificate, action, DateTimeOffset.UtcNow);

    public static async Task<ClusterConnection> OpenAsync(ClusterSettings settings, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        if (settings.Embedded)
        {
            // The embedded silo's warnings and errors go to a file: the terminal shows progress, the file what went wrong.
            var logFile = Path.Combine(settings.StateFolder, LogFileName);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddSerilog(new LoggerConfiguration().MinimumLevel.Warning()
                .WriteTo.File(logFile, fileSizeLimitBytes: 16 << 20, rollOnFileSizeLimit: true, retainedFileCountLimit: 3).CreateLogger(), dispose: true);
            RequireFolder(settings.StateFolder, "--state");
            RequireFolder(settings.ArtifactRoot, "--artifacts");
            Directory.CreateDirectory(settings.StateFolder);
            var lockFile = TakeLock(settings.StateFolder);
            var threadsPerTrial = settings.Threads > 0 ? Math.Max(1, settings.Threads / settings.Slots) : 0;
            builder.UseOrleans(silo => silo.UseEmbeddedSweeps(settings.StateFolder, settings.ArtifactRoot, settings.Slots, settings.Devices, threadsPerTrial));
            var embedded = builder.Build();
            await embedded.StartAsync(cancellation);
            return new ClusterConnection(embedded, lockFile);
        }

        var store2 = new StoreOptions();
        var credentials = LoadCredentials(settings.Tls);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = store2.ClusterId;
                o.ServiceId = store2.ServiceId;
            });
            // Orleans retries a first connection for ever; a command given a wrong address should say so instead.
            var giveUpAt = DateTime.UtcNow + ConnectTimeout;
            client.UseConnectionRetryFilter(async (_, cancel) =>
            {
                if (DateTime.UtcNow >= giveUpAt) return false;
                await Task.Delay(TimeSpan.FromSeconds(1), cancel);
                return true;
            });
            if (settings.Gateway is not null) client.UseStaticClustering(GatewayEndPoint.Parse(settings.Gateway));
            else client.UseRedisClustering(o => o.ConfigurationOptions = TlsConnections.RedisOptions(settings.Redis!, credentials));
            if (credentials is not null) client.UseSweepsTls(credentials);
        });
        var connected = builder.Build();
        try
        {
            await connected.StartAsync(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            connected.Dispose();
            var where = settings.Gateway is not null ? $"gateway {settings.Gateway}" : "the Redis membership table";
            var tls = credentials is null
                ? "does it need TLS (--tls-cert, --tls-key, --tls-ca)?"
                : "does it trust this certificate's authority, and is the certificate valid?";
            throw new UserInputException($"cannot reach the cluster through {where}: {e.GetBaseException().Message} (is it running, is --cluster or --gateway right, {tls})");
        }
        return new ClusterConnection(connected, null, credentials);
    }

    /// <summary>The client's certificate and the cluster's authority, checked before connecting; errors name the CLI's options.</summary>
    private static ClusterCredentials? LoadCredentials(TlsSettings? tls)
    {
        try
        {
            return tls?.LoadForClient();
        }
        catch (OptionsValidationException e)
        {
            var message = string.Join("; ", e.Failures);
            foreach (var (setting, option) in ClusterSettings.TlsOptionNames) message = message.Replace(setting, option);
            throw new UserInputException(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await host.StopAsync(timeout.Token);
        host.Dispose();
        if (embeddedLock is not null) await embeddedLock.DisposeAsync();
    }

    /// <summary>A folder option must name a folder (or nothing yet, and it is made): a file there is a mistake to say at once.</summary>
    private static void RequireFolder(string path, string option)
    {
        if (File.Exists(path)) throw new UserInputException($"{option} '{path}' is a file; expected a folder (made if missing)");
    }

    /// <summary>One process at a time owns an embedded cluster's state.</summary>
    private static FileStream TakeLock(string folder)
    {
        var path = Path.Combine(folder, "embedded.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new UserInputException($"another sweep command is running the embedded cluster in {folder}; wait for it, watch it with `sweep watch`, or pass --state");
        }
    }
}
