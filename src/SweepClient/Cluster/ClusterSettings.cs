using System.CommandLine;
using Sweeps.Hosting;
using Sweeps.Pruning;

namespace Sweeps.SweepClient.Cluster;

/// <summary>
/// How the CLI reaches a cluster: <c>--cluster</c> (or SWEEPS_CLUSTER) names the Redis store of a running cluster, or
/// <c>--gateway</c> (or SWEEPS_GATEWAY) a silo's gateway endpoint (a <c>kubectl port-forward</c> from a workstation); with
/// neither, the CLI hosts the embedded single-node cluster in its own process, with its state in <c>--state</c>.
/// </summary>
/// <param name="Tls">The client certificate, its key and the cluster's authority (<c>--tls-cert</c>, <c>--tls-key</c>, <c>--tls-ca</c>); off when no certificate is named.</param>
public sealed record ClusterSettings(string? Redis, string StateFolder, string ArtifactRoot, int Slots, string? Devices, string? Gateway = null, TlsSettings? Tls = null)
{
    public bool Embedded => Redis is null && Gateway is null;

    /// <summary>Embedded cluster: CPU threads for all its trials together, shared among its slots' workers (<c>--threads</c>); 0: every core.</summary>
    public int Threads { get; init; }

    public static readonly Option<string?> ClusterOption = new("--cluster")
    {
        Description = "Redis connection string of a running cluster (default: $SWEEPS_CLUSTER; none: run the embedded cluster in this process)",
    };

    public static readonly Option<string?> GatewayOption = new("--gateway")
    {
        Description = "HOST:PORT of a silo's gateway, e.g. 127.0.0.1:30000 through `kubectl port-forward svc/sweeps-gateway 30000` (default: $SWEEPS_GATEWAY)",
    };

    public static readonly Option<string?> StateOption = new("--state") { Description = "Embedded cluster's state folder (default: <cache>/embedded)" };

    public static readonly Option<string?> ArtifactsOption = new("--artifacts") { Description = "Embedded cluster's artefact store (default: <cache>/artifacts); finished trials there are reused" };

    public static readonly Option<int> SlotsOption = new("--slots") { Description = "Embedded cluster: trials run at once on the CPU", DefaultValueFactory = _ => 1 };

    public static readonly Option<string?> DevicesOption = new("--devices") { Description = "Embedded cluster: devices to use, e.g. cuda:0,cuda:1 (default: every GPU, else CPU slots)" };

    public static readonly Option<int> ThreadsOption = AtLeastOne(new Option<int>("--threads")
    {
        Description = "Embedded cluster: CPU threads for training, shared among the trials running at once", DefaultValueFactory = _ => Environment.ProcessorCount,
    });

    public static readonly Option<string?> TlsCertOption = new("--tls-cert")
    {
        Description = "PEM client certificate for a cluster with TLS; the sweeps you submit are owned by its subject (default: $SWEEPS_TLS_CERT)",
    };

    public static readonly Option<string?> TlsKeyOption = new("--tls-key") { Description = "PEM private key of --tls-cert (default: $SWEEPS_TLS_KEY)" };

    public static readonly Option<string?> TlsCaOption = new("--tls-ca") { Description = "PEM certificate of the cluster's authority (default: $SWEEPS_TLS_CA)" };

    /// <summary>The CLI's names for <see cref="TlsSettings"/>' settings, so its errors name the option a user typed.</summary>
    public static readonly IReadOnlyDictionary<string, string> TlsOptionNames = new Dictionary<string, string>
    {
        [$"{TlsSettings.Section}:{nameof(TlsSettings.Certificate)} and {nameof(TlsSettings.Key)}"] = "--tls-cert and --tls-key",
        [$"{TlsSettings.Section}:{nameof(TlsSettings.Certificate)}"] = "--tls-cert",
        [$"{TlsSettings.Section}:{nameof(TlsSettings.Key)}"] = "--tls-key",
        [$"{TlsSettings.Section}:{nameof(TlsSettings.CertificateAuthority)}"] = "--tls-ca",
    };

    /// <summary>The option, refusing values below 1 with a message that names it.</summary>
    public static Option<int> AtLeastOne(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1, got {result.GetValueOrDefault<int>()}");
        });
        return option;
    }

    public static void AddTo(Command command)
    {
        command.Options.Add(ClusterOption);
        command.Options.Add(GatewayOption);
        command.Options.Add(StateOption);
        command.Options.Add(ArtifactsOption);
        command.Options.Add(SlotsOption);
        command.Options.Add(DevicesOption);
        command.Options.Add(ThreadsOption);
        command.Options.Add(TlsCertOption);
        command.Options.Add(TlsKeyOption);
        command.Options.Add(TlsCaOption);
    }

    public static ClusterSettings From(ParseResult result)
    {
        var cache = SweepsCache.Default();
        var redis = result.GetValue(ClusterOption) ?? Environment.GetEnvironmentVariable("SWEEPS_CLUSTER");
        var gateway = result.GetValue(GatewayOption) ?? Environment.GetEnvironmentVariable("SWEEPS_GATEWAY");
        string Named(Option<string?> option, string variable) => result.GetValue(option) ?? Environment.GetEnvironmentVariable(variable) ?? "";
        var tls = new TlsSettings
        {
            Certificate = Named(TlsCertOption, "SWEEPS_TLS_CERT"),
            Key = Named(TlsKeyOption, "SWEEPS_TLS_KEY"),
            CertificateAuthority = Named(TlsCaOption, "SWEEPS_TLS_CA"),
        };
        // Any one of the three asks for TLS, so a forgotten key is an error rather than a plaintext attempt.
        if (tls.Certificate.Length + tls.Key.Length + tls.CertificateAuthority.Length > 0) tls.Enabled = true;
        return new ClusterSettings(
            string.IsNullOrWhiteSpace(redis) ? null : redis,
            Path.GetFullPath(result.GetValue(StateOption) ?? Path.Combine(cache.Root, "embedded")),
            Path.GetFullPath(result.GetValue(ArtifactsOption) ?? Path.Combine(cache.Root, "artifacts")),
            Math.Max(1, result.GetValue(SlotsOption)),
            result.GetValue(DevicesOption),
            string.IsNullOrWhiteSpace(gateway) ? null : gateway,
            tls) { Threads = result.GetValue(ThreadsOption) };
    }
}
