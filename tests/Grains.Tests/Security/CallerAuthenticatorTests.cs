using System.Security.Cryptography.X509Certificates;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Grains.Security;
using Sweeps.Testing;

namespace Sweeps.Grains.Tests.Security;

/// <summary>A caller's proof yields its certificate's subject only when the certificate, the signature, the action and the time all hold.</summary>
public sealed class CallerAuthenticatorTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestCertificates certificates = new();
    private readonly CallerAuthenticator authenticator;

    public CallerAuthenticatorTests()
    {
        var authority = new X509Certificate2Collection();
        authority.ImportFromPemFile(certificates.AuthorityFile);
        authenticator = CallerAuthenticator.Certificates(new ClusterTrust(authority));
    }

    public void Dispose() => certificates.Dispose();

    private static X509Certificate2 Load(CertificateFiles files) => X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);

    [Fact]
    public void ValidProof_IsItsCertificatesSubject()
    {
        var proof = CallerProof.Sign(Load(certificates.User("alice")), CallerProof.Actions.Cancel("s-1"), Now);

        Assert.Equal("CN=alice, O=Sweeps tests", authenticator.Identify(proof, CallerProof.Actions.Cancel("s-1"), Now));
        Assert.True(authenticator.Enforces);
    }

    [Fact]
    public void NoProof_IsRefused_NamingTheOptions()
    {
        var error = Assert.Throws<SweepAccessDeniedException>(() => authenticator.Identify(null, CallerProof.Actions.Submit("s-1"), Now));

        Assert.Contains("--tls-cert", error.Message);
    }

    [Fact]
    public void ProofForAnotherSweep_IsRefused()
    {
        var proof = CallerProof.Sign(Load(certificates.User("alice")), CallerProof.Actions.Cancel("s-1"), Now);

        var error = Assert.Throws<SweepAccessDeniedException>(() => authenticator.Identify(proof, CallerProof.Actions.Cancel("s-2"), Now));

        Assert.Contains("not 'cancel sweep s-2'", error.Message);
    }

    [Fact]
    public void StaleProof_IsRefused()
    {
        var proof = CallerProof.Sign(Load(certificates.User("alice")), CallerProof.Actions.Cancel("s-1"), Now - TimeSpan.FromMinutes(6));

        Assert.Throws<SweepAccessDeniedException>(() => authenticator.Identify(proof, CallerProof.Actions.Cancel("s-1"), Now));
    }

    [Fact]
    public void SomeoneElsesCertificate_SignedWithAnotherKey_IsRefused()
    {
        var alice = Load(certificates.User("alice"));
        var mallory = CallerProof.Sign(Load(certificates.User("mallory")), CallerProof.Actions.Cancel("s-1"), Now);
        var forged = mallory with { Certificate = alice.RawData }; // alice's public certificate, mallory's signature

        var error = Assert.Throws<SweepAccessDeniedException>(() => authenticator.Identify(forged, CallerProof.Actions.Cancel("s-1"), Now));

        Assert.Contains("not signed by the key of CN=alice", error.Message);
    }

    [Fact]
    public void CertificatesFromAnotherAuthority_OrExpired_AreRefused()
    {
        var stranger = CallerProof.Sign(Load(certificates.Stranger("mallory", silo: false)), CallerProof.Actions.Cancel("s-1"), Now);
        var expired = CallerProof.Sign(Load(certificates.Expired("alice")), CallerProof.Actions.Cancel("s-1"), Now);

        Assert.Contains("not signed by the cluster's authority",
            Assert.Throws<SweepAccessDeniedException>(() => authenticator.Identify(stranger, CallerProof.Actions.Cancel("s-1"), Now)).Message);
        Assert.Contains("not valid now",
            Assert.Throws<SweepAccessDeniedException>(() => authenticator.Identify(expired, CallerProof.Actions.Cancel("s-1"), Now)).Message);
    }

    [Fact]
    public void OwnersAndAdmins_MayCancel_OthersAreToldWhoMay()
    {
        var access = new SweepAccess(["CN=carol,O=Sweeps tests"]);

        access.RequireMayCancel("s-1", "CN=alice, O=ml", "CN=alice,O=ml", enforced: true);
        access.RequireMayCancel("s-1", "CN=alice, O=ml", "CN=carol, O=Sweeps tests", enforced: true);
        access.RequireMayCancel("s-1", "", "", enforced: false); // a plaintext cluster refuses no one
        var error = Assert.Throws<SweepAccessDeniedException>(() => access.RequireMayCancel("s-1", "CN=alice, O=ml", "CN=bob, O=ml", enforced: true));
        var unowned = Assert.Throws<SweepAccessDeniedException>(() => access.RequireMayCancel("s-1", "", "CN=bob, O=ml", enforced: true));

        Assert.Equal("CN=bob, O=ml may not cancel sweep s-1, which belongs to CN=alice, O=ml: only its owner or an admin (Sweeps:Admins: CN=carol, O=Sweeps tests) may", error.Message);
        Assert.Contains("no recorded owner: only an admin", unowned.Message);
    }
}
