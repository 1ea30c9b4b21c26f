namespace Sweeps.Grains.Devices;

/// <summary>One device slot leased to one trial until disposed.</summary>
/// <param name="Slot">The slot's name (cuda:1, cpu:0).</param>
/// <param name="TorchDevice">The device string the engine trains on (cuda:1, cpu).</param>
/// <param name="Stopping">Cancelled when the silo stops: the trial checkpoints and hands the slot back.</param>
public sealed record DeviceLease(string Slot, string TorchDevice, string TrialId, CancellationToken Stopping, Action<DeviceLease> Return) : IDisposable
{
    private int returned;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref returned, 1) == 0) Return(this);
    }
}
