using Sweeps.Grains.Interfaces.Cluster;

namespace Sweeps.Grains.Interfaces;

/// <summary>
/// The cluster's capacity view (key 0): every silo reports its slots and leases every few seconds; sweeps reserve a
/// slot before placing a trial, so no silo is handed more trials than it has slots. Soft state: rebuilt from the
/// silos' reports whenever this grain is activated anew.
/// </summary>
[Alias("sweeps.capacity")]
public interface ICapacityGrain : IGrainWithIntegerKey
{
    [Alias("Report")]
    Task Report(SiloCapacity capacity);

    /// <summary>
    /// Frees the slots of <paramref name="released"/> trials (they ended), then reserves slots for as many of
    /// <paramref name="trialIds"/> as fit, in order; returns the silo of each reserved trial. One call per dispatch round.
    /// </summary>
    [Alias("ReserveMany")]
    Task<IReadOnlyList<KeyValuePair<string, SiloAddress>>> ReserveMany(string pool, IReadOnlyList<string> released, IReadOnlyList<string> trialIds);

    /// <summary>Frees the trial's reservation (it finished, failed or never started).</summary>
    [Alias("Release")]
    Task Release(string trialId);

    [Alias("GetUsage")]
    Task<IReadOnlyList<SlotUsage>> GetUsage();
}
