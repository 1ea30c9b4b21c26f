using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Connections.Security;
using StackExchange.Redis;
using Sweeps.Grains.Security;

namespace Sweeps.Hosting;

/// <summary>
/// Mutual TLS on the cluster's connections, every one checked against <see cref="ClusterTrust"/>: silo to silo (both
/// sides need a silo's certificate), client to gateway (a user's certificate suffices) and to Redis. Callers then
/// prove their identity to the sweeps with the same certificate (<see cref="CallerAuthenticator"/>).
/// </summary>
public static class TlsConnections
{
    public static ISiloBuilder UseSweepsTls(this ISiloBuilder silo, ClusterCredentials credentials)
    {
        silo.Services.Replace(ServiceDescriptor.Singleton(CallerAuthenticator.Certificates(credentials.Trust)));
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(b => b.UseServerTls(Options(credentials, ClusterTrust.ServerAuthentication, "silo", b)));
            connections.ConfigureGatewayInboundConnection(b => b.UseServerTls(Options(credentials, ClusterTrust.ClientAuthentication, "client", b)));
            connections.ConfigureSiloOutboundConnection(b => b.UseClientTls(Options(credentials, ClusterTrust.ServerAuthentication, "silo", b)));
        });
        return silo;
    }

    public static IClientBuilder UseSweepsTls(this IClientBuilder client, ClusterCredentials credentials) =>
        client.Configure<ClientConnectionOptions>(connections =>
            connections.ConfigureConnection(b => b.UseClientTls(Options(credentials, ClusterTrust.ServerAuthentication, "gateway", b))));

    /// <summary>
    /// A Redis connection string's options; where it asks for TLS (<c>ssl=true</c>) and credentials are given, the
    /// server must hold a certificate of the cluster's authority, and this process presents its own.
    /// </summary>
    public static ConfigurationOptions RedisOptions(string connectionString, ClusterCredentials? credentials)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        if (!options.Ssl || credentials is null) return options;
        options.CertificateSelection += (_, _, _, _, _) => credentials.Certificate;
        options.CertificateValidation += (_, certificate, _, _) =>
            certificate is not null && credentials.Trust.Problem(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ClusterTrust.ServerAuthentication) is null;
        return options;
    }

    private static TlsOptions Options(ClusterCredentials credentials, string peerUsage, string peer, IConnectionBuilder connection)
    {
        var logger = connection.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(TlsConnections)) ?? NullLogger.Instance;
        return new TlsOptions
        {
            LocalCertificate = credentials.Certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            // Host names are not what identifies a silo (pods come and go by address): the authority's signature is.
            RemoteCertificateValidation = (certificate, _, _) =>
            {
                if (credentials.Trust.Problem(certificate, peerUsage) is not { } problem) return true;
                logger.LogWarning("Refused a {Peer} connection: {Problem}", peer, problem);
                return false;
            },
        };
    }
}
