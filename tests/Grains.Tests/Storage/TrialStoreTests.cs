using System.IO.Compression;
using System.Text;
using StackExchange.Redis;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Tests.Cluster;
using Sweeps.Testing;

namespace Sweeps.Grains.Tests.Storage;

/// <summary>One Redis server for the Redis half of <see cref="TrialStoreTests"/>.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisFixture()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        Server = new RedisServer();
    }

    public RedisServer Server { get; }

    public void Dispose() => Server.Dispose();
}

/// <summary>The trial store's contract, held by both backends: a real SQLite file and a real Redis server.</summary>
public sealed class TrialStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly TemporaryFolder folder = new();

    /// <summary>Each write's number, as one activation's writer numbers them.</summary>
    private long sequence;

    public static TheoryData<string> Backends => ["sqlite", "redis"];

    private ITrialStore Store(string backend) => backend == "sqlite"
        ? new SqliteTrialStore(Path.Combine(folder.Path, "sweeps.db"))
        : new RedisTrialStore(ConfigurationOptions.Parse(redis.Server.ConnectionString), "test-" + Guid.NewGuid().ToString("N"));

    private static EvaluationPoint Point(int step, double accuracy, double? churn = null) => new(step, [new("accuracy", accuracy), new("f1", accuracy - 0.1)], false) { MaskChurn = churn };

    private static TrialChanges Changes(IEnumerable<(string Id, TrialRecord Record)>? records = null, IEnumerable<(string Id, EvaluationPoint Point)>? evaluations = null, bool cancelled = false) =>
        new((records ?? []).Select(r => new KeyValuePair<string, byte[]>(r.Id, TrialRecordCodec.Encode(r.Record))).ToList(),
            (evaluations ?? []).Select(e => new KeyValuePair<string, byte[]>(e.Id, TrialRecordCodec.Encode(e.Point))).ToList(), cancelled);

    [Theory, MemberData(nameof(Backends))]
    public async Task Claim_GivesEachActivationANewerEpoch_PerSweep(string backend)
    {
        var store = Store(backend);
        Assert.Equal(1, await store.ClaimAsync("a"));
        Assert.Equal(2, await store.ClaimAsync("a"));
        Assert.Equal(1, await store.ClaimAsync("b"));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Write_StoresRecordsWhole_AndAppendsEvaluationsInOrder(string backend)
    {
        var store = Store(backend);
        var epoch = await store.ClaimAsync("s");
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Running, Attempts = 1 }), ("t2", new TrialRecord())],
            [("t1", Point(20, 0.6, 0.1))]));
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Queued, Attempts = 1, Failures = 1, Error = "boom" })],
            [("t1", Point(40, 0.7, 0.05)), ("t2", Point(20, 0.5))]));

        var state = (await store.ReadAsync("s")).Decode();

        Assert.Equal(["t1", "t2"], state.Trials.Keys.Order());
        var t1 = state.Trials["t1"];
        Assert.Equal((TrialState.Queued, 1, 1, "boom"), (t1.State, t1.Attempts, t1.Failures, t1.Error)); // the later record replaced the earlier whole
        Assert.Equal([20, 40], t1.Curve.Select(p => p.Step));
        Assert.Equal([0.1, 0.05], t1.Curve.Select(p => p.MaskChurn));
        Assert.Equal(0.6, t1.Curve[0].Metric("accuracy"));
        Assert.Equal([20], state.Trials["t2"].Curve.Select(p => p.Step));
        Assert.False(state.Cancelled);
        Assert.True((await store.ReadAsync("other")).IsEmpty);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task ReadRecords_GivesTheNamedTrialsLatestRecords_OfThatSweepOnly(string backend)
    {
        var store = Store(backend);
        var epoch = await store.ClaimAsync("s");
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Running }), ("t2", new TrialRecord { Attempts = 2 }), ("t3", new TrialRecord())]));
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Done, Attempts = 1 })]));
        await store.WriteAsync("other", await store.ClaimAsync("other"), ++sequence, Changes([("t4", new TrialRecord())]));

        var records = (await store.ReadRecordsAsync("s", ["t1", "t2", "t4", "missing"])).ToDictionary(r => r.Key, r => TrialRecordCodec.DecodeRecord(r.Value));

        Assert.Equal(["t1", "t2"], records.Keys.Order());
        Assert.Equal((TrialState.Done, 1), (records["t1"].State, records["t1"].Attempts));
        Assert.Equal(2, records["t2"].Attempts);
        Assert.Empty(await store.ReadRecordsAsync("s", []));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Write_WithASupersededEpoch_IsRefused_AndChangesNothing(string backend)
    {
        var store = Store(backend);
        var first = await store.ClaimAsync("s");
        await store.WriteAsync("s", first, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Running, Attempts = 1 })]));
        var second = await store.ClaimAsync("s"); // another activation took the sweep over

        var refused = await Assert.ThrowsAsync<StaleEpochException>(() =>
            store.WriteAsync("s", first, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Done }), ("t9", new TrialRecord())], [("t1", Point(10, 0.9))], cancelled: true)));
        Assert.IsAssignableFrom<Orleans.Storage.InconsistentStateException>(refused); // Orleans deactivates the stale activation
        var stored = await store.ReadAsync("s");
        Assert.Equal(["t1"], stored.Records.Select(r => r.Key));
        Assert.Empty(stored.Evaluations);
        Assert.False(stored.Cancelled);
        Assert.Equal(TrialState.Running, stored.Decode().Trials["t1"].State);

        await store.WriteAsync("s", second, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Done })]));
        Assert.Equal(TrialState.Done, (await store.ReadAsync("s")).Decode().Trials["t1"].State);
    }

    [Fact]
    public async Task Redis_AWriteOvertakenByALaterOne_IsDropped_SoItNeverPutsAnOlderRecordBack()
    {
        // Write 1 was given up on (its connection cut) but its bytes reach Redis after write 2, sent over a new connection.
        var store = Store("redis");
        var epoch = await store.ClaimAsync("s");
        await store.WriteAsync("s", epoch, 2, Changes([("t1", new TrialRecord { State = TrialState.Done, Attempts = 1 })], [("t1", Point(20, 0.9))]));

        await Assert.ThrowsAsync<OvertakenWriteException>(() =>
            store.WriteAsync("s", epoch, 1, Changes([("t1", new TrialRecord { State = TrialState.Running, Attempts = 1 }), ("t2", new TrialRecord())], [("t1", Point(10, 0.8))])));

        var stored = (await store.ReadAsync("s")).Decode();
        Assert.Equal(TrialState.Done, stored.Trials["t1"].State);
        Assert.Equal(["t1"], stored.Trials.Keys);
        Assert.Equal([20], stored.Trials["t1"].Curve.Select(p => p.Step));
        await Assert.ThrowsAsync<OvertakenWriteException>(() => store.WriteAsync("s", epoch, 2, Changes([("t2", new TrialRecord())])));
        // A new activation numbers its writes from 1 again.
        var next = await store.ClaimAsync("s");
        await store.WriteAsync("s", next, 1, Changes([("t2", new TrialRecord { State = TrialState.Queued })]));
        Assert.Equal(["t1", "t2"], (await store.ReadAsync("s")).Decode().Trials.Keys.Order());
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Write_BeforeAnyClaim_IsRefused(string backend)
    {
        var store = Store(backend);
        await Assert.ThrowsAsync<StaleEpochException>(() => store.WriteAsync("never-claimed", 1, ++sequence, Changes([("t1", new TrialRecord())])));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Cancellation_IsStored(string backend)
    {
        var store = Store(backend);
        var epoch = await store.ClaimAsync("s");
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Cancelled })], cancelled: true));
        var state = (await store.ReadAsync("s")).Decode();
        Assert.True(state.Cancelled);
        Assert.Equal(TrialState.Cancelled, state.Trials["t1"].State);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Read_OfAFinishedTrial_TakesItsCurveFromTheOutcome_NotTheLogAgain(string backend)
    {
        var store = Store(backend);
        var epoch = await store.ClaimAsync("s");
        var curve = new[] { Point(20, 0.6), Point(40, 0.7) };
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Running })], curve.Select(p => ("t1", p))));
        var outcome = new TrialOutcome([new("accuracy", 0.7)], 0.5, 40, 0, 12.5, 300, 1024) { Curve = curve, BestStep = 40 };
        await store.WriteAsync("s", epoch, ++sequence, Changes([("t1", new TrialRecord { State = TrialState.Done, Outcome = outcome })]));

        var t1 = (await store.ReadAsync("s")).Decode().Trials["t1"];

        Assert.Empty(t1.Curve);
        Assert.Equal([20, 40], t1.Outcome!.Curve.Select(p => p.Step));
    }

    /// <summary>Every field survives the stored form; the record holds no type names and not its curve (the log does).</summary>
    [Fact]
    public void Codec_RoundTripsEveryField_WithoutTypeNamesOrTheCurve()
    {
        var started = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
        var record = new TrialRecord
        {
            State = TrialState.Stopped, Attempts = 3, Failures = 1, Silo = "S10.0.0.1:11111:1", Device = "cpu:0", Error = "crashed: exit 139",
            NotBefore = started.AddMinutes(2),
            Outcome = new TrialOutcome([new("accuracy", 0.91), new("f1", 0.88)], 0.1, 200, 150, 99.5, 1234.5, 4096)
            {
                FinalMetrics = [new("accuracy", 0.9)], BestStep = 180, Collapsed = true, FinalCollapsed = false, EvaluationSeconds = 3.5,
                TrainingSeconds = 90, StoppedAtStep = 200, Curve = [Point(180, 0.91, 0.02)], CollapsedAtStep = 180, ChurnAtCollapse = 0.02,
            },
            Curve = [Point(180, 0.91)],
            History = [new TrialAttempt(1, "S1", "cpu:0", started, started.AddMinutes(1), "crashed: exit 139"), new TrialAttempt(2, "S2", "cpu:1", started.AddMinutes(3), null, null)],
        };

        var bytes = TrialRecordCodec.Encode(record);
        var back = TrialRecordCodec.DecodeRecord(bytes);

        var json = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("$type", json);
        using (var document = System.Text.Json.JsonDocument.Parse(bytes))
            Assert.False(document.RootElement.TryGetProperty("Curve", out _)); // the record's own curve is in the log, not here
        Assert.Empty(back.Curve);
        Assert.Equal((record.State, record.Attempts, record.Failures, record.Silo, record.Device, record.Error, record.NotBefore),
            (back.State, back.Attempts, back.Failures, back.Silo, back.Device, back.Error, back.NotBefore));
        Assert.Equal(record.History, back.History);
        var (o, b) = (record.Outcome, back.Outcome!);
        Assert.Equal(o.Metrics, b.Metrics);
        Assert.Equal(o.FinalMetrics, b.FinalMetrics);
        Assert.Equal((o.AchievedKeepFraction, o.Steps, o.ResumedFromStep, o.WallSeconds, o.TokensPerSecond, o.MaskBytes, o.BestStep, o.Collapsed, o.FinalCollapsed,
                o.EvaluationSeconds, o.TrainingSeconds, o.StoppedAtStep, o.CollapsedAtStep, o.ChurnAtCollapse),
            (b.AchievedKeepFraction, b.Steps, b.ResumedFromStep, b.WallSeconds, b.TokensPerSecond, b.MaskBytes, b.BestStep, b.Collapsed, b.FinalCollapsed,
                b.EvaluationSeconds, b.TrainingSeconds, b.StoppedAtStep, b.CollapsedAtStep, b.ChurnAtCollapse));
        var (p, q) = (o.Curve.Single(), b.Curve.Single());
        Assert.Equal((p.Step, p.Collapsed, p.MaskChurn), (q.Step, q.Collapsed, q.MaskChurn));
        Assert.Equal(p.Metrics, q.Metrics);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Spec_IsStoredInParts_ReadBackWhole_AndReplacedWhenWrittenAgain(string backend)
    {
        var store = Store(backend);
        var large = new byte[2 * ITrialStore.MaxWriteBytes + 1234]; // three parts
        new Random(7).NextBytes(large);

        Assert.Null(await store.ReadSpecAsync("s"));
        await store.WriteSpecAsync("s", large);
        Assert.Equal(large, await store.ReadSpecAsync("s"));
        await store.WriteSpecAsync("s", [1, 2, 3]);
        Assert.Equal([1, 2, 3], await store.ReadSpecAsync("s"));
        Assert.Null(await store.ReadSpecAsync("other"));
    }

    [Fact]
    public void SpecCodec_RoundTripsEverySetting_SoEveryTrialKeepsItsId()
    {
        var training = SweepSpecs.Training with { PruneSteps = 40, EvalEvery = 10, WarmupFraction = 0.1, Pooler = 1, TransformersAdamW = 1 };
        var teacher = SweepSpecs.Trial("dense", 1, 1, training: training);
        var trials = new List<TrialSpec>
        {
            teacher,
            SweepSpecs.Trial("smp-s", 0.5, 1, new DistillationSpec(teacher.Id, "teacher/folder", 2, 0.5, 0.5), data: "data/sst2", training: training) with { Inputs = "abc123", Precision = "bf16" },
        };
        var spec = new SweepSpec("codec", "grid.yaml", "name: codec\n", trials, new ResourceSpec("gpu", 1) { MemoryBytes = 3L << 30 }, 4, 2, MetricSelection.Final)
        {
            EarlyStopping = new EarlyStoppingSpec("accuracy", true, 20, 3, 180, StopCollapsed: true),
        };

        var bytes = SweepSpecCodec.Encode(spec);
        var decoded = SweepSpecCodec.Decode(bytes);

        Assert.Equal(spec.Trials.Select(t => t.Id), decoded.Trials.Select(t => t.Id));
        Assert.Equal(spec.Trials.Select(t => t.CanonicalJson()), decoded.Trials.Select(t => t.CanonicalJson()));
        Assert.Equal((spec.Name, spec.SourceFile, spec.SourceText, spec.Resources, spec.MaxConcurrentTrials, spec.RetryLimit, spec.Select, spec.EarlyStopping),
            (decoded.Name, decoded.SourceFile, decoded.SourceText, decoded.Resources, decoded.MaxConcurrentTrials, decoded.RetryLimit, decoded.Select, decoded.EarlyStopping));
        using var json = new MemoryStream();
        new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress).CopyTo(json);
        Assert.DoesNotContain("$type", Encoding.UTF8.GetString(json.ToArray()));
    }

    public void Dispose() => folder.Dispose();
}
