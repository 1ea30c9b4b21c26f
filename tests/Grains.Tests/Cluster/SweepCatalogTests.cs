using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>The catalog lists every sweep with the counts the sweep reported, so listing asks no sweep.</summary>
public sealed class SweepCatalogTests
{
    [Fact]
    public async Task AFinishedSweep_IsListedWithItsFinalCounts_StoredWithTheCatalog()
    {
        await using var cluster = await SweepTestCluster.StartAsync([2], slots => new SleepingTrialRunner(TimeSpan.Zero, new SleepLog(), slots));
        var spec = SweepSpecs.WithTeachers("listed", teachers: 3, studentsPerTeacher: 1);
        var id = SweepIds.Of(spec);
        await cluster.Client.GetGrain<ISweepGrain>(id).Submit(spec);
        var status = await cluster.WaitUntilFinished(id, TimeSpan.FromMinutes(2));
        Assert.Equal(spec.Trials.Count, status.Count(TrialState.Done));

        var catalog = cluster.Client.GetGrain<ISweepCatalogGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        SweepSummary listed;
        while ((listed = (await catalog.List()).Single(s => s.SweepId == id)).Counts?.GetValueOrDefault(TrialState.Done) != spec.Trials.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the catalog never listed {spec.Trials.Count} done: {string.Join(", ", listed.Counts ?? [])}");
            await Task.Delay(100);
        }
        Assert.Equal(0, listed.Counts!.GetValueOrDefault(TrialState.Running) + listed.Counts.GetValueOrDefault(TrialState.Queued));

        // A finished sweep's counts were stored at once: the catalog read back from the store lists them.
        var stored = new GrainState<List<SweepSummary>>();
        var documents = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SweepGrain.StorageName);
        await documents.ReadStateAsync("catalog", catalog.GetGrainId(), stored);
        Assert.Equal(spec.Trials.Count, stored.State!.Single(s => s.SweepId == id).Counts![TrialState.Done]);

        // Listing again once the finished sweep's activation is gone lists it from the catalog alone: no sweep is activated.
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(1, await SweepActivations(management));
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(0, await SweepActivations(management));
        Assert.Equal(spec.Trials.Count, (await catalog.List()).Single(s => s.SweepId == id).Counts![TrialState.Done]);
        Assert.Equal(0, await SweepActivations(management));
    }

    [Fact]
    public async Task AFinishedSweepWithFewerTrialsThanPlanned_IsListedWithTheTrialsItHad()
    {
        // A search planned 12 trials; its space ran out after 4 points.
        await using var cluster = await SweepTestCluster.StartAsync([1], slots => new SleepingTrialRunner(TimeSpan.Zero, new SleepLog(), slots));
        var catalog = cluster.Client.GetGrain<ISweepCatalogGrain>(0);
        await catalog.Add(new SweepSummary("exhausted-0123abcd", "exhausted", DateTimeOffset.UtcNow, 12));

        await catalog.Report("exhausted-0123abcd", new() { [TrialState.Done] = 3, [TrialState.Running] = 1 }, 0, finished: false);
        Assert.Equal(12, (await catalog.List()).Single().Trials); // still proposing: the plan stands
        await catalog.Report("exhausted-0123abcd", new() { [TrialState.Done] = 4 }, 0, finished: true);

        Assert.Equal(4, (await catalog.List()).Single().Trials);
    }

    private static async Task<int> SweepActivations(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains(nameof(SweepGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
}
