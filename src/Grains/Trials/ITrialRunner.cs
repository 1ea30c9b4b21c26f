using Sweeps.Artifacts;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>Runs one trial attempt on a leased device, resuming from the checkpoint in its folder when there is one.</summary>
public interface ITrialRunner
{
    /// <param name="cancellation">Stop after a checkpoint (the trial resumes later): throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="stopEarly">Early stopping: end with the best evaluation so far as the result.</param>
    /// <exception cref="AttemptFailedException">The attempt crashed, ran out of memory or hung, or the trial failed.</exception>
    Task<TrialResult> RunAsync(TrialRun run, IProgress<TrialProgress> progress, CancellationToken cancellation, CancellationToken stopEarly);
}
