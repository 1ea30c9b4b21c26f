namespace Sweeps.Grains.Placement;

/// <summary>Places a trial on the silo whose slot its sweep reserved (see <see cref="DeviceSlotPlacementDirector"/>).</summary>
[Serializable, GenerateSerializer, Immutable, Alias("sweeps.DeviceSlotPlacement")]
public sealed class DeviceSlotPlacement : PlacementStrategy
{
    public static DeviceSlotPlacement Instance { get; } = new();
}
