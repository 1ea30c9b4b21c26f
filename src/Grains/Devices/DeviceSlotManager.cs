using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Pruning.Devices;

namespace Sweeps.Grains.Devices;

/// <summary>
/// This silo's device slots: discovered at start (every CUDA device, or configured CPU slots), leased one trial per
/// slot, and returned when the trial stops. The only authority on what runs where on this silo.
/// </summary>
public sealed class DeviceSlotManager : IDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<string, DeviceLease?> slots;
    private readonly CancellationTokenSource stopping = new();

    public DeviceSlotManager(IOptions<SweepsOptions> options, IHostApplicationLifetime lifetime)
    {
        // However the host stops (gracefully or not), running trials checkpoint and stop with it.
        lifetime.ApplicationStopping.Register(() => stopping.Cancel());
        Pool = options.Value.Pool;
        Slots = DiscoverSlots(options.Value);
        slots = Slots.ToDictionary(s => s, _ => (DeviceLease?)null);
    }

    public string Pool { get; }

    public IReadOnlyList<string> Slots { get; }

    /// <summary>Raised after every lease and return (the capacity reporter reports at once).</summary>
    public event Action? Changed;

    /// <summary>Leases a free slot of <paramref name="pool"/> to a trial; null when this silo has none.</summary>
    public DeviceLease? TryLease(string pool, string trialId)
    {
        if (!(Pool == SweepsOptions.AnyPool || pool == Pool) || stopping.IsCancellationRequested) return null;
        DeviceLease lease;
        lock (gate)
        {
            var free = slots.FirstOrDefault(s => s.Value is null).Key;
            if (free is null) return null;
            lease = new DeviceLease(free, TorchDeviceOf(free), trialId, stopping.Token, Return);
            slots[free] = lease;
        }
        Changed?.Invoke();
        return lease;
    }

    public IReadOnlyList<string> LeasedTrials()
    {
        lock (gate) return slots.Values.Where(l => l is not null).Select(l => l!.TrialId).ToArray();
    }

    public bool IsBusy(string slot)
    {
        lock (gate) return slots.GetValueOrDefault(slot) is not null;
    }

    public int Busy
    {
        get { lock (gate) return slots.Values.Count(l => l is not null); }
    }

    private void Return(DeviceLease lease)
    {
        lock (gate)
        {
            if (ReferenceEquals(slots.GetValueOrDefault(lease.Slot), lease)) slots[lease.Slot] = null;
        }
        Changed?.Invoke();
    }

    /// <summary>Tells every running trial to stop (the silo is going away).</summary>
    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private static IReadOnlyList<string> DiscoverSlots(SweepsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Devices))
            return options.Devices.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var found = TorchDevices.Discover();
        if (found.Count == 1 && found[0] == "cpu")
            return Enumerable.Range(0, Math.Max(1, options.CpuSlots)).Select(i => $"cpu:{i}").ToArray();
        return found;
    }

    private static string TorchDeviceOf(string slot) => slot.StartsWith("cpu", StringComparison.Ordinal) ? "cpu" : slot;
}
