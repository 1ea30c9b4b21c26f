namespace Sweeps.Reports;

/// <summary>A sweep's owner as the CLI and the pages show it.</summary>
public static class SweepOwners
{
    /// <summary>The recorded owner, or a dash where the cluster does not authenticate its callers.</summary>
    public static string Shown(string owner) => owner.Length > 0 ? owner : "–";
}
