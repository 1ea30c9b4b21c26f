using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Web;

/// <summary>
/// A running trial's loss and keep trace, asked of the trial itself: its sweep is sent progress without the trace, so
/// the trace travels only when someone looks at the trial.
/// </summary>
public static class LiveTrace
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>The trial with its attempt's full progress where it runs and answers in time; otherwise as its sweep knows it.</summary>
    public static async Task<TrialStatus> WithTraceAsync(IGrainFactory grains, TrialStatus trial)
    {
        if (trial.State != TrialState.Running) return trial;
        try
        {
            return await grains.GetGrain<ITrialGrain>(trial.Spec.Id).GetProgress().WaitAsync(Patience) is { } progress ? trial with { Progress = progress } : trial;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return trial; // the page shows what the sweep has; the next refresh asks again
        }
    }
}
