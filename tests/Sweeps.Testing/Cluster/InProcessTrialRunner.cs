using Sweeps.Artifacts;
using Sweeps.Grains.Trials;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;

namespace Sweeps.Testing.Cluster;

/// <summary>
/// The engine run in the silo's own process, as trials ran before they had worker processes: for tests that hold the
/// trainer at a point from the test process (its meter is heard only here) while they kill an in-process silo. Never
/// used by the product, whose runner starts a worker per attempt.
/// </summary>
public sealed class InProcessTrialRunner(TrialInputGuard inputs, SweepsCache cache) : ITrialRunner
{
    public Task<TrialResult> RunAsync(TrialRun run, IProgress<TrialProgress> progress, CancellationToken cancellation, CancellationToken stopEarly) =>
        TrialTrainer.RunAsync(inputs.Check(run.Spec, run.TorchDevice), run.Folder, cache, progress, cancellation, stopEarly);
}
