using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sweeps.Grains.Interfaces.Security;

namespace Sweeps.Grains.Security;

/// <summary>
/// Turns a call's <see cref="CallerProof"/> into the caller's identity, the way this silo's cluster is set up:
/// with TLS, the proof's certificate must come from the cluster's authority and its signature must cover the action;
/// the embedded cluster's only caller is the user who runs it; a plaintext cluster knows no one.
/// </summary>
public sealed class CallerAuthenticator
{
    /// <summary>How far a proof's time may be from this silo's clock: clocks drift, and a proof is used at once.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    private readonly ClusterTrust? trust;
    private readonly string? localUser;

    private CallerAuthenticator(ClusterTrust? trust, string? localUser)
    {
        this.trust = trust;
        this.localUser = localUser;
    }

    /// <summary>A cluster whose connections carry certificates from <paramref name="trust"/>'s authority.</summary>
    public static CallerAuthenticator Certificates(ClusterTrust trust) => new(trust, null);

    /// <summary>A cluster inside one user's process.</summary>
    public static CallerAuthenticator Local(string user) => new(null, user);

    /// <summary>A plaintext cluster: no identities, so no owners and no refusals.</summary>
    public static CallerAuthenticator None { get; } = new(null, null);

    /// <summary>
    /// True where callers prove who they are and owners are enforced (TLS). The embedded cluster records its user as
    /// owner but has no one to refuse; a plaintext cluster cannot tell callers apart.
    /// </summary>
    public bool Enforces => trust is not null;

    /// <summary>The caller's identity (a certificate subject or the local user; empty on a plaintext cluster); throws <see cref="SweepAccessDeniedException"/> when the proof does not hold.</summary>
    public string Identify(CallerProof? proof, string action, DateTimeOffset now)
    {
        if (localUser is not null) return localUser;
        if (trust is null) return "";
        if (proof is null)
            throw new SweepAccessDeniedException($"this cluster authenticates its callers: '{action}' needs a client certificate (sweep --tls-cert, --tls-key, --tls-ca)");
        if (proof.Action != action) throw new SweepAccessDeniedException($"the caller's proof is for '{proof.Action}', not '{action}'");
        if ((proof.SignedAt - now).Duration() > ClockTolerance)
            throw new SweepAccessDeniedException($"the caller's proof was signed at {proof.SignedAt:u}, more than {ClockTolerance.TotalMinutes:0} minutes from the silo's clock ({now:u})");
        using var certificate = X509CertificateLoader.LoadCertificate(proof.Certificate);
        if (trust.Problem(certificate, ClusterTrust.ClientAuthentication) is { } problem) throw new SweepAccessDeniedException(problem);
        if (!SignatureHolds(certificate, CallerProof.SignedBytes(proof.Action, proof.SignedAt), proof.Signature))
            throw new SweepAccessDeniedException($"the caller's proof is not signed by the key of {certificate.Subject}");
        return certificate.Subject;
    }

    private static bool SignatureHolds(X509Certificate2 certificate, byte[] data, byte[] signature)
    {
        if (certificate.GetRSAPublicKey() is { } rsa)
            using (rsa) return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        if (certificate.GetECDsaPublicKey() is { } ecdsa)
            using (ecdsa) return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256);
        return false;
    }
}
