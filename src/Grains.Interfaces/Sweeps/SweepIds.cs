using System.Security.Cryptography;
using System.Text;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// A sweep's id: its name and a hash of its trials' ids, so submitting the same grid again finds the same sweep
/// (and its progress) instead of starting a second one. A model-based search is its base trials and its plan.
/// </summary>
public static class SweepIds
{
    public static string Of(SweepSpec spec)
    {
        var ids = string.Join('\n', spec.SubmittedTrials.Select(t => t.Id));
        if (spec.Search is { } search) ids += "\n" + search.Canonical();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ids))).ToLowerInvariant()[..8];
        var name = new string(spec.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{name}-{hash}";
    }
}
