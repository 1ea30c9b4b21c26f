using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sweeps.Grains.Security;

/// <summary>
/// The cluster's certificate authority and what a certificate it signed may do. Silos carry certificates for server
/// and client authentication, users for client authentication alone, so a user's certificate opens the gateway but
/// cannot join the cluster as a silo. Host names are not checked: silos and clients reach each other by pod address,
/// and membership of the cluster is the authority's signature.
/// </summary>
public sealed class ClusterTrust(X509Certificate2Collection authorities)
{
    /// <summary>TLS server authentication (id-kp-serverAuth): what a silo's certificate carries.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>TLS client authentication (id-kp-clientAuth): what every silo's and user's certificate carries.</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public X509Certificate2Collection Authorities { get; } = authorities.Count > 0
        ? authorities
        : throw new ArgumentException("a cluster trust needs at least one authority certificate", nameof(authorities));

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to one of the authorities, is valid now and allows
    /// <paramref name="usage"/>; otherwise why not, in words.
    /// </summary>
    public string? Problem(X509Certificate2 certificate, string usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        // The authority's own list of revoked certificates is not published to the silos; short-lived certificates
        // (cert-manager renews them) take its place.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (chain.Build(certificate)) return null;
        var reasons = chain.ChainStatus.Select(s => s.Status switch
        {
            X509ChainStatusFlags.NotTimeValid => $"it is not valid now (valid {certificate.NotBefore:u} to {certificate.NotAfter:u})",
            X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "it is not signed by the cluster's authority",
            X509ChainStatusFlags.NotValidForUsage => $"it is not meant for {(usage == ServerAuthentication ? "a silo (server authentication)" : "client authentication")}",
            _ => s.StatusInformation.Trim(),
        }).Distinct();
        return $"certificate {certificate.Subject}: {string.Join("; ", reasons)}";
    }
}
