using System.Security.Cryptography.X509Certificates;
using Sweeps.Grains.Interfaces.Security;

namespace Sweeps.Grains.Security;

/// <summary>Who may change a sweep: its owner, or one of <c>Sweeps:Admins</c> (certificate subjects, compared as distinguished names).</summary>
public sealed class SweepAccess(IEnumerable<string> admins)
{
    private readonly IReadOnlyList<string> admins = admins.Select(Normalise).ToList();

    /// <summary>Throws <see cref="SweepAccessDeniedException"/>, naming who may, unless <paramref name="caller"/> may cancel a sweep of <paramref name="owner"/> ; nothing is refused where owners are not <paramref name="enforced"/>.</summary>
    public void RequireMayCancel(string sweepId, string owner, string caller, bool enforced)
    {
        if (!enforced) return;
        var who = Normalise(caller);
        if ((owner.Length > 0 && Normalise(owner) == who) || admins.Contains(who)) return;
        var adminList = admins.Count > 0 ? string.Join("; ", admins) : "none configured";
        throw new SweepAccessDeniedException(owner.Length > 0
            ? $"{caller} may not cancel sweep {sweepId}, which belongs to {owner}: only its owner or an admin (Sweeps:Admins: {adminList}) may"
            : $"{caller} may not cancel sweep {sweepId}, which has no recorded owner: only an admin (Sweeps:Admins: {adminList}) may");
    }

    /// <summary>One spelling of a distinguished name (<c>CN=alice,O=ml</c> and <c>CN=alice, O=ml</c> are one subject); anything else as written.</summary>
    public static string Normalise(string subject)
    {
        try
        {
            return new X500DistinguishedName(new X500DistinguishedName(subject).RawData).Name; // decoded again: one spelling
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return subject.Trim();
        }
    }
}
