using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Testing;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>
/// A sweep grain on a real silo and its trial store: fencing of a superseded activation, sweeps stored whole by an
/// earlier version moved over, and the spec kept in the trial store.
/// </summary>
public sealed class TrialStoreClusterTests
{
    [Fact]
    public async Task AnActivationWhoseSweepWasClaimedSince_WritesNothing_AndTheNextActivationReadsTheStore()
    {
        var log = new SleepLog();
        await using var cluster = await SweepTestCluster.StartAsync([2], slots => new SleepingTrialRunner(TimeSpan.FromMinutes(10), log, slots));
        var spec = SweepSpecs.WithTeachers("fenced", teachers: 2, studentsPerTeacher: 0);
        var id = SweepIds.Of(spec);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        await sweep.Submit(spec);
        var store = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<ITrialStore>();
        await WaitFor(async () => (await cluster.StoredTrials(id)).Trials.Values.Count(t => t.State == TrialState.Running) == 2, "both trials stored as running");

        await store.ClaimAsync(id); // another activation of the sweep took it over
        await Assert.ThrowsAnyAsync<Exception>(() => sweep.Cancel()); // its cancellation's write is refused

        var stored = await cluster.StoredTrials(id);
        Assert.False(stored.Cancelled);
        // (A trial may be stored queued by now: the trials' heartbeats can activate the sweep anew, which re-queues what ran.)
        Assert.DoesNotContain(stored.Trials.Values, t => t.State == TrialState.Cancelled);
        // The refused activation is gone: the next call activates the sweep again from the store, and that one may write.
        await WaitFor(async () => (await sweep.GetStatus())!.Cancelled == false, "the sweep activated again from the store");
        await sweep.Cancel();
        Assert.True((await cluster.StoredTrials(id)).Cancelled);
    }

    [Fact]
    public async Task ASweepStoredAsOneDocument_MovesToTheTrialStore_OnItsFirstActivation()
    {
        await using var cluster = await SweepTestCluster.StartAsync([1], slots => new SleepingTrialRunner(TimeSpan.FromMinutes(10), new SleepLog(), slots));
        var spec = SweepSpecs.WithTeachers("moved", teachers: 2, studentsPerTeacher: 0);
        var id = SweepIds.Of(spec);
        var (done, failed) = (spec.Trials[0].Id, spec.Trials[1].Id);
        // Lists, as the product's records hold: the earlier document names each object's type, and a collection
        // expression's type for a read-only list is one it cannot name.
        var point = new EvaluationPoint(8, new List<KeyValuePair<string, double>> { new("accuracy", 0.75) }, false) { MaskChurn = 0.25 };
        var outcome = new TrialOutcome(new List<KeyValuePair<string, double>> { new("accuracy", 0.8) }, 1, 16, 0, 3, 100, 0)
        {
            Curve = new List<EvaluationPoint> { point }, BestStep = 8,
        };
        var whole = new SweepState
        {
            Trials =
            {
                [done] = new TrialRecord { State = TrialState.Done, Attempts = 1, Outcome = outcome },
                [failed] = new TrialRecord { State = TrialState.Failed, Attempts = 3, Failures = 3, Error = "exploded", Curve = [point] },
            },
        };
        var grainId = cluster.Client.GetGrain<ISweepGrain>(id).GetGrainId();
        var documents = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SweepGrain.StorageName);
        await documents.WriteStateAsync("spec", grainId, new GrainState<SweepDefinition>(new SweepDefinition { Spec = spec, SubmittedAt = DateTimeOffset.UtcNow }));
        await documents.WriteStateAsync("trials", grainId, new GrainState<SweepState>(whole));

        var status = (await cluster.Client.GetGrain<ISweepGrain>(id).GetStatus())!;

        Assert.Equal([TrialState.Done, TrialState.Failed], status.Trials.Select(t => t.State));
        // The finished trial's record, once moved, is read back from the trial store (the sweep holds its state only).
        Assert.Equal((0.8, 8), (status.Trials[0].Outcome!.Metrics[0].Value, status.Trials[0].Curve.Single().Step));
        var page = (await cluster.Client.GetGrain<ISweepGrain>(id).GetTrials(TrialQuery.ById(done)))!;
        Assert.Equal(1, page.Trials.Single().Attempts);
        Assert.Equal(0.8, page.Trials.Single().Outcome!.Metrics[0].Value);
        Assert.Equal("exploded", status.Trials[1].Error);
        Assert.Equal([8], status.Trials[1].Curve.Select(p => p.Step));
        var stored = await cluster.StoredTrials(id);
        Assert.Equal(0.8, stored.Trials[done].Outcome!.Metrics[0].Value);
        Assert.Equal(TrialState.Failed, stored.Trials[failed].State);
        Assert.Equal([0.25], stored.Trials[failed].Curve.Select(p => p.MaskChurn));
        var document = new GrainState<SweepState>();
        await documents.ReadStateAsync("trials", grainId, document);
        Assert.False(document.RecordExists); // moved, not kept twice
    }

    [Fact]
    public async Task ASubmittedSweep_KeepsItsSpecInTheTrialStore_NotInItsDefinition_AndComesBackFromIt()
    {
        var folder = new TemporaryFolder();
        var spec = SweepSpecs.WithTeachers("spec-stored", teachers: 2, studentsPerTeacher: 1);
        var id = SweepIds.Of(spec);
        Task<SweepTestCluster> Start() => SweepTestCluster.StartAsync([1], slots => new SleepingTrialRunner(TimeSpan.FromMinutes(10), new SleepLog(), slots), folder: folder);
        var first = await Start();
        var sweep = first.Client.GetGrain<ISweepGrain>(id);
        await sweep.Submit(spec);
        var definition = new GrainState<SweepDefinition>();
        await first.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SweepGrain.StorageName).ReadStateAsync("spec", sweep.GetGrainId(), definition);
        var storedSpec = await first.Cluster.Silos[0].ServiceProvider.GetRequiredService<ITrialStore>().ReadSpecAsync(id);

        Assert.Null(definition.State!.Spec);
        Assert.True(definition.State.SpecInTrialStore);
        Assert.Equal(spec.Trials.Select(t => t.Id), SweepSpecCodec.Decode(storedSpec!).Trials.Select(t => t.Id));

        // The cluster stops (its folder stays) and starts again: the sweep comes back from its stored spec.
        await first.Cluster.StopAllSilosAsync();
        await first.Cluster.DisposeAsync();
        await using var second = await Start();
        var status = (await second.Client.GetGrain<ISweepGrain>(id).GetStatus())!;

        Assert.Equal(spec.Name, status.Name);
        Assert.Equal(spec.Trials.Select(t => t.Id), status.Trials.Select(t => t.Spec.Id));
    }

    private static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not seen within a minute: {what}");
            await Task.Delay(100);
        }
    }
}
