using System.Diagnostics;
using Microsoft.Data.Sqlite;
using System.Text.Json;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing.Cluster;
using Xunit.Abstractions;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>
/// Ten thousand no-op trials on 4 silos × 8 slots: the sweep finishes with one result per trial, its stored state stays
/// within a fixed size per trial, and status queries keep answering while it runs. Prints the figures it saw.
/// </summary>
[Collection(nameof(LoadTests))] // alone: four busy silos would starve the timing of the training tests beside it
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Trials = 10_000;

    [Fact]
    public async Task TenThousandTrials_FinishWithOneResultEach_StateStaysSmall_StatusKeepsAnswering()
    {
        var log = new SleepLog();
        await using var cluster = await SweepTestCluster.StartAsync([8, 8, 8, 8], slots => new SleepingTrialRunner(TimeSpan.Zero, log, slots));
        var spec = new SweepSpec("load", "test", "", Enumerable.Range(0, Trials).Select(seed => SweepSpecs.Trial("smp-s", 0.5, seed)).ToList(),
            new ResourceSpec("cpu", 1), 0, 2);
        var id = SweepIds.Of(spec);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        var heapBefore = HeapBytes();

        var clock = Stopwatch.StartNew();
        await sweep.Submit(spec);
        var slowestStatus = TimeSpan.Zero;
        var statusCalls = 0;
        SweepProgress? progress;
        do
        {
            var call = Stopwatch.StartNew();
            await sweep.GetStatus();
            slowestStatus = call.Elapsed > slowestStatus ? call.Elapsed : slowestStatus;
            statusCalls++;
            progress = await sweep.GetProgress();
            await Task.Delay(500); // as often as someone would run `sweep status`
            // A hang guard, not a speed bar (17 s measured on an idle machine): the throughput is measured in bench/.
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(20), "10,000 no-op trials did not finish in 20 minutes");
        } while (progress is not { IsFinished: true });
        var elapsed = clock.Elapsed;
        var status = (await sweep.GetStatus())!;
        var heapAfter = HeapBytes();
        var stateBytes = StoredBytes(cluster.StatePath, id);

        output.WriteLine($"{Trials:N0} trials in {elapsed.TotalSeconds:F1} s; slowest of {statusCalls} full status queries during the run: {slowestStatus.TotalMilliseconds:F0} ms");
        output.WriteLine($"stored sweep state: {stateBytes:N0} bytes ({(double)stateBytes / Trials:F0} per trial); managed heap {heapBefore / 1e6:F0} MB before, {heapAfter / 1e6:F0} MB after");
        Assert.Equal(Trials, status.Count(TrialState.Done));
        Assert.Equal(Trials, log.Finished.Count);
        Assert.All(status.Trials, t => Assert.Equal(1, t.Attempts));
        // The cells the sweep keeps as results arrive are those of its whole status, under either selection.
        foreach (var select in new[] { MetricSelection.Best, MetricSelection.Final })
            Assert.Equal(JsonSerializer.Serialize(SweepResults.Of(status with { Select = select }).Cells), JsonSerializer.Serialize((await sweep.GetResults(select))!.Cells));
        Assert.Equal(Trials, Directory.GetFiles(Path.Combine(cluster.ArtifactRoot, "trials"), "result.json", SearchOption.AllDirectories).Length);
        // A trial's spec, record (state, outcome) and evaluations are a few hundred bytes; nothing may grow per event.
        Assert.InRange(stateBytes / Trials, 100, 2_000);
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Bytes of everything stored of the sweep: its grain's state documents, and in the trial store its spec, records and evaluations.</summary>
    private static long StoredBytes(string database, string sweepId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COALESCE(SUM(length(payload)), 0) FROM grain_state WHERE grain_id LIKE $id)
                 + (SELECT COALESCE(SUM(length(bytes)), 0) FROM sweep_specs WHERE sweep = $sweep)
                 + (SELECT COALESCE(SUM(length(record)), 0) FROM trial_records WHERE sweep = $sweep)
                 + (SELECT COALESCE(SUM(length(point)), 0) FROM trial_evaluations WHERE sweep = $sweep)
            """;
        command.Parameters.AddWithValue("$id", "%" + sweepId + "%");
        command.Parameters.AddWithValue("$sweep", sweepId);
        return (long)command.ExecuteScalar()!;
    }
}

[CollectionDefinition(nameof(LoadTests), DisableParallelization = true)]
public sealed class LoadCollection;
