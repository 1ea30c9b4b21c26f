using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>Runs one trial on a leased device, resuming from the checkpoint in its folder when there is one.</summary>
public interface ITrialRunner
{
    Task<TrialResult> RunAsync(TrialSpec spec, string torchDevice, string folder, IProgress<TrialProgress> progress, CancellationToken cancellation);
}
