using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps.Scheduling;

/// <summary>
/// Starts the ready trials in grid order (teachers before their students, a retried trial where it stands). It reads
/// ready trials only until the free slots are filled.
/// </summary>
public sealed class GridOrder : ITrialScheduler
{
    public static readonly GridOrder Instance = new();

    public IReadOnlyList<TrialSpec> Choose(IEnumerable<TrialSpec> ready, int slots, FinishedResults results) => ready.Take(slots).ToList();
}
