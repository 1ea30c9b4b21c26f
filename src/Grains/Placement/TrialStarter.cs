using Microsoft.Extensions.Logging;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Placement;

/// <summary>Starts a trial grain on the silo the capacity view reserved for it.</summary>
public static class TrialStarter
{
    /// <summary>The trial's answer, or null when the call failed (logged).</summary>
    public static async Task<TrialStartReply?> StartOn(IGrainFactory grains, SiloAddress silo, TrialAssignment assignment, ILogger logger)
    {
        Task<TrialStartReply> call;
        // The request context travels with the call made here; the placement director reads the reserved silo from it.
        RequestContext.Set(DeviceSlotPlacementDirector.TargetSilo, silo);
        try
        {
            call = grains.GetGrain<ITrialGrain>(assignment.Spec.Id).Start(assignment);
        }
        finally
        {
            RequestContext.Remove(DeviceSlotPlacementDirector.TargetSilo);
        }
        try
        {
            return await call;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not start trial {Trial} on {Silo}", assignment.Spec.Id, silo);
            return null;
        }
    }
}
