using Sweeps.Pruning.Devices;

namespace Sweeps.Pruning.Tests.Devices;

public sealed class HeapGrowthGuardTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void AfterStep_SteadyResidentSet_NeverTrims()
    {
        var (guard, trims) = Guard(1000, 1100, 1050, 1200, 1100);
        for (var step = 0; step < 5; step++) guard.AfterStep();
        Assert.Empty(trims);
    }

    [Fact]
    public void AfterStep_GrowingHalfAgainPastTheFirstStep_TrimsOnceAndCarriesOn()
    {
        // Fragmentation: +100 MiB a step from 1,000; the trim brings it back, growth starts over.
        var (guard, trims) = Guard(1000, 1100, 1200, 1300, 1400, 1501, 1000, 1100, 1200);
        for (var step = 0; step < 9; step++) guard.AfterStep();
        Assert.Equal([5], trims);
    }

    [Fact]
    public void AfterStep_StepNeedsMoreRightAfterATrim_RaisesTheBarInsteadOfTrimmingEveryStep()
    {
        // Longer inputs: each step really needs 2,000 MiB, so trimming cannot help and must not repeat.
        var (guard, trims) = Guard(1000, 2000, 2000, 2000, 2000, 2000);
        for (var step = 0; step < 6; step++) guard.AfterStep();
        Assert.Equal([1], trims);
    }

    [Fact]
    public void Trim_OnThisMachinesGlibc_Succeeds()
    {
        Assert.Equal(OperatingSystem.IsLinux(), GlibcHeap.Trim());
    }

    /// <summary>A guard fed the given resident sizes (MiB) one step at a time; records after which step it trimmed.</summary>
    private static (HeapGrowthGuard Guard, List<int> TrimmedAfterStep) Guard(params long[] residentMiB)
    {
        var step = -1;
        var trims = new List<int>();
        var guard = new HeapGrowthGuard(() => residentMiB[++step] * MiB, () => { trims.Add(step); return true; });
        return (guard, trims);
    }
}
