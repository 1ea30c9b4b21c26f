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
    public void AfterStep_BackPastTheBarWithinAFewStepsOfATrim_TakesThatAsTheRunsNeed()
    {
        // A fresh process: glibc's kept blocks fill up again over the steps after a trim (measured: a worker's MiniLM
        // trial trimmed every few steps and ran 28% slower); the second climb raises the bar to half again above it.
        var (guard, trims) = Guard(1000, 1600, 1100, 1300, 1550, 1700, 1900, 2000, 1800, 2100);
        for (var step = 0; step < 10; step++) guard.AfterStep();
        Assert.Equal([1], trims);
        Assert.Equal((long)(1550 * MiB * 1.5), guard.Limit);
    }

    [Fact]
    public void AfterStep_HeapThatKeepsGrowing_StaysBounded()
    {
        // Fragmentation of 50 MiB a step from 1,000 MiB, undone by each trim: the bar rises once (to 1.5 × 1,600 MiB,
        // where the second climb crossed 1,575), then the guard trims whenever growth crosses it, however long the run.
        long resident = 1000, largest = 0;
        var trims = 0;
        var guard = new HeapGrowthGuard(() => resident * MiB, () =>
        {
            trims++;
            resident = 1000;
            return true;
        });
        for (var step = 0; step < 2000; step++)
        {
            resident += 50;
            largest = Math.Max(largest, resident);
            guard.AfterStep();
        }
        Assert.InRange(largest, 2400, 2400 + 50);
        Assert.InRange(trims, 2000 / 30, 2000 / 20);
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
