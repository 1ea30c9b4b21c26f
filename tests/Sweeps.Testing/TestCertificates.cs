using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sweeps.Testing;

/// <summary>A certificate, its key and the authority to trust, as PEM files (what a Kubernetes TLS Secret mounts).</summary>
public sealed record CertificateFiles(string Certificate, string Key, string Authority)
{
    /// <summary>The CLI's options for these files.</summary>
    public string[] CliArguments => ["--tls-cert", Certificate, "--tls-key", Key, "--tls-ca", Authority];

    /// <summary>A silo host's settings for these files.</summary>
    public string[] SiloArguments => ["--Sweeps:Tls:Certificate", Certificate, "--Sweeps:Tls:Key", Key, "--Sweeps:Tls:CertificateAuthority", Authority];
}

/// <summary>
/// Real certificates made for a test: a cluster authority, silo certificates (server and client authentication, for
/// 127.0.0.1), user certificates (client authentication), an expired one, and ones from an authority the cluster does
/// not trust; ECDSA P-256, written as PEM files in a temporary folder deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-certs-");
    private readonly X509Certificate2 authority;
    private readonly X509Certificate2 strangerAuthority;
    private int issued;

    public TestCertificates()
    {
        authority = Authority("Sweeps test authority");
        strangerAuthority = Authority("Some other authority");
        AuthorityFile = WritePem("ca.crt", authority.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder.Path, "other-ca.crt"), strangerAuthority.ExportCertificatePem());
    }

    /// <summary>The cluster's authority (ca.crt).</summary>
    public string AuthorityFile { get; }

    /// <summary>A silo's certificate from the cluster's authority.</summary>
    public CertificateFiles Silo(string name = "silo") => Issue(name, authority, silo: true, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>A user's certificate from the cluster's authority, subject <c>CN=name</c>.</summary>
    public CertificateFiles User(string name) => Issue(name, authority, silo: false, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>A user's certificate from the cluster's authority that expired yesterday.</summary>
    public CertificateFiles Expired(string name) => Issue(name, authority, silo: false, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));

    /// <summary>A certificate from another authority (and that authority as its own trust, so the holder's own checks pass).</summary>
    public CertificateFiles Stranger(string name, bool silo) => Issue(name, strangerAuthority, silo, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    public void Dispose()
    {
        authority.Dispose();
        strangerAuthority.Dispose();
        folder.Dispose();
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(1));
    }

    private CertificateFiles Issue(string name, X509Certificate2 issuer, bool silo, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Sweeps tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (silo) usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var certificate = request.Create(issuer, notBefore, notAfter, serial);
        var issuerFile = issuer == authority ? AuthorityFile : Path.Combine(folder.Path, "other-ca.crt");
        var file = $"{name}-{Interlocked.Increment(ref issued)}";
        return new CertificateFiles(
            WritePem($"{file}.crt", certificate.ExportCertificatePem()),
            WritePem($"{file}.key", key.ExportPkcs8PrivateKeyPem()),
            issuerFile);
    }

    private string WritePem(string file, string pem) => folder.Write(file, pem + "\n");
}
