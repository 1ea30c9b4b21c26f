using Sweeps.Pruning.Training;

namespace Sweeps.Worker.Protocol;

/// <summary>The first line a silo writes to a new worker: the one trial attempt it runs, and the limits it runs under.</summary>
/// <param name="TrialId">The trial's id (for its logs and the test-only fault triggers).</param>
/// <param name="Attempt">Which attempt of the trial this is, 1 for the first.</param>
/// <param name="Config">What to train; its device is the worker's view (cuda:0 for a pinned GPU, or cpu).</param>
/// <param name="OutputFolder">The trial's folder in the artefact store: checkpoint, artefact.</param>
/// <param name="CacheRoot">Where imported models and downloaded data are kept (<see cref="Pruning.SweepsCache"/>).</param>
/// <param name="Threads">libtorch's CPU threads.</param>
/// <param name="MemoryCapBytes">The most private writable memory the worker may map (RLIMIT_DATA); null: no cap.</param>
public sealed record WorkerStart(string TrialId, int Attempt, TrialConfig Config, string OutputFolder, string CacheRoot, int Threads, long? MemoryCapBytes);
