using Orleans.Runtime.Placement;

namespace Sweeps.Grains.Placement;

/// <summary>
/// Puts a new trial activation on the silo named in the request context (<see cref="TargetSilo"/>): the silo whose
/// free slot the sweep reserved through the capacity view. Without a usable hint it picks any compatible silo; the
/// trial then asks that silo's slot manager, which refuses when it has no free slot.
/// </summary>
public sealed class DeviceSlotPlacementDirector : IPlacementDirector
{
    /// <summary>Request-context key holding the reserved <see cref="SiloAddress"/>.</summary>
    public const string TargetSilo = "sweeps.target-silo";

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (target.RequestContextData is { } data && data.TryGetValue(TargetSilo, out var value) && value is SiloAddress wanted
            && compatible.Contains(wanted))
            return Task.FromResult(wanted);
        return Task.FromResult(compatible[Random.Shared.Next(compatible.Length)]);
    }
}
