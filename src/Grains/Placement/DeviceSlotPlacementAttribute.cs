using Orleans.Placement;

namespace Sweeps.Grains.Placement;

/// <summary>Marks a grain class for <see cref="DeviceSlotPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DeviceSlotPlacementAttribute() : PlacementAttribute(DeviceSlotPlacement.Instance);
