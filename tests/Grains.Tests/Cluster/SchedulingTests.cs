using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>Scheduling on a real 3-silo cluster with sleeping trials: slots respected, teachers first, one result per trial.</summary>
public sealed class SchedulingTests
{
    [Fact]
    public async Task ThirtyTrials_OnSilosWithOneTwoAndThreeSlots_NeverOverfillASilo_TeachersFirst_ThirtyResults()
    {
        var log = new SleepLog();
        await using var cluster = await SweepTestCluster.StartAsync([1, 2, 3], slots => new SleepingTrialRunner(TimeSpan.FromMilliseconds(150), log, slots));
        var spec = SweepSpecs.WithTeachers("thirty", teachers: 5, studentsPerTeacher: 5);
        var id = SweepIds.Of(spec);

        await cluster.Client.GetGrain<ISweepGrain>(id).Submit(spec);
        var status = await cluster.WaitUntilFinished(id, TimeSpan.FromMinutes(5)); // seconds when the machine is idle

        Assert.Equal(30, status.Count(TrialState.Done));
        Assert.Equal(30, Directory.GetFiles(Path.Combine(cluster.ArtifactRoot, "trials"), "result.json", SearchOption.AllDirectories).Length);
        Assert.Equal(3, log.MostAtOnce.Count);
        foreach (var (runner, most) in log.MostAtOnce) Assert.True(most <= runner.Slots, $"{most} trials at once on a silo with {runner.Slots} slots");
        Assert.Contains(log.MostAtOnce, r => r.Value > 1); // the cluster did run trials side by side
        foreach (var student in spec.Trials.Where(t => t.Distillation is not null))
            Assert.True(log.Started[student.Id] >= log.Finished[student.Distillation!.TeacherTrialId!], $"{student.Label} started before its teacher finished");
        Assert.All(status.Trials, t => Assert.Equal(1, t.Attempts));
    }

    [Fact]
    public async Task Cancel_WhileTrialsRun_FreesEverySlotAndMarksTheRestCancelled()
    {
        var log = new SleepLog();
        await using var cluster = await SweepTestCluster.StartAsync([2, 2], slots => new SleepingTrialRunner(TimeSpan.FromMinutes(10), log, slots));
        var spec = SweepSpecs.WithTeachers("cancel", teachers: 6, studentsPerTeacher: 1);
        var id = SweepIds.Of(spec);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        await sweep.Submit(spec);
        await Poll(async () => (await sweep.GetStatus())!.Count(TrialState.Running) == 4);

        await sweep.Cancel();

        await Poll(() => Task.FromResult(cluster.SlotManagers().Values.All(m => m.Busy == 0)));
        await Poll(async () => (await cluster.Client.GetGrain<ICapacityGrain>(0).GetUsage()).All(u => u.Busy == 0));
        var status = (await sweep.GetStatus())!;
        Assert.Equal(12, status.Count(TrialState.Cancelled));
        Assert.True(status.Cancelled);
    }

    private static async Task Poll(Func<Task<bool>> condition)
    {
        // Generous: what is waited for takes well under a second on an idle machine, and the deadline only stops a hang.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 2 minutes");
            await Task.Delay(100);
        }
    }
}
