using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sweeps.Grains.Interfaces.Security;

/// <summary>
/// Who asks for a change to a sweep, in a form the silo can check: the caller's client certificate (the one its TLS
/// connection presents) and a signature by that certificate's private key over the action and the time. Orleans does
/// not hand grain code the certificate of the connection a call came in on, so the call carries it, bound to what it
/// asks for; the silo checks the certificate against the cluster's authority, as the TLS handshake did.
/// </summary>
/// <param name="Certificate">The client certificate, DER-encoded (public part only).</param>
/// <param name="Action">What it authorises, e.g. <c>cancel sweep spam-smp-4256d749</c> (see <see cref="Actions"/>).</param>
/// <param name="SignedAt">When it was signed; the silo accepts it for a few minutes either side of its own clock.</param>
[GenerateSerializer, Immutable, Alias("sweeps.CallerProof")]
public sealed record CallerProof(
    [property: Id(0)] byte[] Certificate,
    [property: Id(1)] string Action,
    [property: Id(2)] DateTimeOffset SignedAt,
    [property: Id(3)] byte[] Signature)
{
    /// <summary>The bytes the signature covers: the action and the time, so a proof for one sweep or one moment serves no other.</summary>
    public static byte[] SignedBytes(string action, DateTimeOffset signedAt) =>
        Encoding.UTF8.GetBytes($"sweeps caller proof\n{action}\n{signedAt.UtcDateTime:O}");

    /// <summary>A proof for <paramref name="action"/>, signed now with <paramref name="certificate"/>'s private key (RSA or ECDSA).</summary>
    public static CallerProof Sign(X509Certificate2 certificate, string action, DateTimeOffset now)
    {
        var data = SignedBytes(action, now);
        byte[] signature;
        if (certificate.GetRSAPrivateKey() is { } rsa)
            using (rsa) signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        else if (certificate.GetECDsaPrivateKey() is { } ecdsa)
            using (ecdsa) signature = ecdsa.SignData(data, HashAlgorithmName.SHA256);
        else
            throw new ArgumentException($"the certificate {certificate.Subject} has no RSA or ECDSA private key to sign with");
        return new CallerProof(certificate.RawData, action, now, signature);
    }

    /// <summary>The actions a proof can authorise; one definition for the client that signs and the silo that checks.</summary>
    public static class Actions
    {
        public static string Submit(string sweepId) => $"submit sweep {sweepId}";

        public static string Cancel(string sweepId) => $"cancel sweep {sweepId}";
    }
}
