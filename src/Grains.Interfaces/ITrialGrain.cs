using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces;

/// <summary>
/// One trial (key: trial id), placed on a silo with a free device slot. It leases the slot, trains off the Orleans
/// scheduler, reports to every sweep that asked for it, and gives the slot back when it stops.
/// </summary>
[Alias("sweeps.trial")]
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>Starts the trial, or reports where it already runs; Started is false when this silo has no free slot.</summary>
    [Alias("Start")]
    Task<TrialStartReply> Start(TrialAssignment assignment);

    /// <summary>Stops training (after a checkpoint) and frees the slot.</summary>
    [Alias("Cancel")]
    Task Cancel();

    /// <summary>The running attempt's progress with its loss and keep trace (what its sweep is not sent); null when none runs here.</summary>
    [Alias("GetProgress")]
    Task<TrialProgressReport?> GetProgress();

    /// <summary>Early stopping: the trial ends at its next step, its best evaluation so far its result, and frees the slot.</summary>
    [Alias("StopEarly")]
    Task StopEarly();
}
