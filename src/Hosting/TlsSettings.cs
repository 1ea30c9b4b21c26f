using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Security;

namespace Sweeps.Hosting;

/// <summary>
/// TLS with mutual authentication on every Orleans connection of a Redis cluster (<c>Sweeps:Tls:*</c>), from PEM files
/// as a Kubernetes TLS Secret or cert-manager lays them out (tls.crt, tls.key, ca.crt). A Redis cluster without
/// certificates refuses to start unless <see cref="Enabled"/> is set false; the embedded cluster never uses TLS (one
/// process, loopback). Read once when the host is built; a bad value stops it with a message naming the setting,
/// never a file's contents.
/// </summary>
public sealed class TlsSettings
{
    public const string Section = "Sweeps:Tls";

    /// <summary>Unset: on where <see cref="Certificate"/> is set, and required for a Redis cluster. False: plaintext connections (a trusted network only).</summary>
    public bool? Enabled { get; set; }

    /// <summary>This process's certificate (PEM; tls.crt).</summary>
    public string Certificate { get; set; } = "";

    /// <summary>Its private key (PEM, unencrypted; tls.key).</summary>
    public string Key { get; set; } = "";

    /// <summary>The authority (PEM, one or more certificates; ca.crt) that signs every silo's and user's certificate.</summary>
    public string CertificateAuthority { get; set; } = "";

    public bool IsEnabled => Enabled ?? Certificate.Length > 0;

    /// <summary>The settings under <see cref="Section"/>; a value that does not convert is named.</summary>
    public static TlsSettings From(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(Section).Get<TlsSettings>() ?? new TlsSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(Section, typeof(TlsSettings), [e.Message]);
        }
    }

    /// <summary>A silo's credentials: its certificate must allow server authentication, since silos and clients connect to it.</summary>
    /// <param name="clusterStore">The silo's store is a Redis cluster's, whose connections need TLS unless it is turned off.</param>
    public ClusterCredentials? LoadForSilo(bool clusterStore) => Load(clusterStore, ClusterTrust.ServerAuthentication);

    /// <summary>A client's credentials (the `sweep` tool's): client authentication alone, which opens a gateway but cannot join the cluster.</summary>
    public ClusterCredentials? LoadForClient() => Load(clusterStore: false, ClusterTrust.ClientAuthentication);

    /// <summary>
    /// The certificate, its key and the authority, checked: each file exists and parses, the key is the certificate's,
    /// and the certificate is signed by the authority, valid now and meant for <paramref name="usage"/>.
    /// Null when TLS is off; throws <see cref="OptionsValidationException"/> when a Redis cluster has no TLS settings.
    /// </summary>
    private ClusterCredentials? Load(bool clusterStore, string usage)
    {
        if (!IsEnabled)
        {
            if (clusterStore && Enabled is null)
                Fail($"{Section}: a Redis cluster's connections need TLS: set {Section}:{nameof(Certificate)}, {nameof(Key)} and {nameof(CertificateAuthority)} " +
                     $"(PEM files), or {Section}:{nameof(Enabled)}=false to run it in plaintext on a network you trust");
            return null;
        }
        foreach (var (setting, path) in new[] { (nameof(Certificate), Certificate), (nameof(Key), Key), (nameof(CertificateAuthority), CertificateAuthority) })
        {
            if (string.IsNullOrWhiteSpace(path)) Fail($"{Section}:{setting}: expected a PEM file, got nothing");
            if (!File.Exists(path)) Fail($"{Section}:{setting}: {path} does not exist");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(CertificateAuthority);
        }
        catch (CryptographicException)
        {
            Fail($"{Section}:{nameof(CertificateAuthority)}: {CertificateAuthority} holds no PEM certificate");
        }
        if (authorities.Count == 0) Fail($"{Section}:{nameof(CertificateAuthority)}: {CertificateAuthority} holds no PEM certificate");

        X509Certificate2 certificate = null!;
        try
        {
            // A key made from PEM lives in memory; TLS on Linux takes it as it is.
            certificate = X509Certificate2.CreateFromPemFile(Certificate, Key);
        }
        catch (CryptographicException)
        {
            Fail($"{Section}:{nameof(Certificate)} and {nameof(Key)}: {Certificate} and {Key} are not a PEM certificate and its unencrypted private key");
        }
        catch (ArgumentException)
        {
            Fail($"{Section}:{nameof(Certificate)} and {nameof(Key)}: {Certificate} and {Key} are not a PEM certificate and its unencrypted private key");
        }

        var trust = new ClusterTrust(authorities);
        if (trust.Problem(certificate, usage) is { } problem) Fail($"{Section}:{nameof(Certificate)}: {problem}");
        return new ClusterCredentials(certificate, trust);
    }

    private static void Fail(string problem) => throw new OptionsValidationException(Section, typeof(TlsSettings), [problem]);
}
