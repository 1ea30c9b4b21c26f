using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps.Scheduling;

/// <summary>
/// Which trials a sweep starts next when slots free: the sweep's one scheduling decision, as a plug-in. The sweep hands
/// it the trials that may start now (queued, past their back-off, with their teacher's result in hand), in grid order
/// and produced as they are read, with the number of free slots and the results so far; it answers which to start, at
/// most that many. The grid's order is <see cref="GridOrder"/>; a sampler that weighs the results is another.
/// </summary>
public interface ITrialScheduler
{
    IReadOnlyList<TrialSpec> Choose(IEnumerable<TrialSpec> ready, int slots, FinishedResults results);
}
