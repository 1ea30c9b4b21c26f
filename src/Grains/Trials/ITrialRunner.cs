using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>Runs one trial on a leased device, resuming from the checkpoint in its folder when there is one.</summary>
public interface ITrialRunner
{
    /// <param name="cancellation">Stop after a checkpoint (the trial resumes later).</param>
    /// <param name="stopEarly">Early stopping: end with the best evaluation so far as the result.</param>
    Task<TrialResult> RunAsync(TrialSpec spec, string torchDevice, string folder, IProgress<TrialProgress> progress, CancellationToken cancellation,
        CancellationToken stopEarly);
}
