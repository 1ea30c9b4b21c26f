using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Tests.Cluster;
using Sweeps.Search;

namespace Sweeps.Grains.Tests.Sweeps;

/// <summary>
/// A model-based search on the plain ledger: points proposed one at a time as the dispatcher finds nothing ready, each
/// from the results so far, rebuilt after a restart from the stored records; exhausted spaces, teachers and failures.
/// The sampler itself is tested in Search.Tests; here, what the sweep hands it and does with its points.
/// </summary>
public sealed class SearchProposalsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TrialStartReply StartedReply = new(true, "silo-1", "cpu:0");
    private static readonly SearchedSetting ScoreLr = new("score_lr", "log_uniform", 1e-3, 1e-1, []);

    private static SweepSpec Search(IReadOnlyList<TrialSpec> baseTrials, int samples, SearchedSetting? setting = null, int maxConcurrent = 2, int retryLimit = 2) =>
        new("search", "test", "", [], new ResourceSpec("cpu", 1), maxConcurrent, retryLimit)
        {
            Search = new SearchPlan("tpe", samples, Seed: 3, Startup: 2, [setting ?? ScoreLr], baseTrials),
        };

    private static readonly IReadOnlyList<TrialSpec> TwoSeeds = [SweepSpecs.Trial("smp-s", 0.5, 1), SweepSpecs.Trial("smp-s", 0.5, 2)];

    /// <summary>What the dispatcher does in a round: the ready trials, or, with none, a new point's.</summary>
    private static List<string> Round(SweepLedger ledger)
    {
        var batch = ledger.NextBatch(T0, 64);
        if (batch.Count == 0 && ledger.ProposeNext()) batch = ledger.NextBatch(T0, 64);
        foreach (var trial in batch)
        {
            ledger.Dispatching(trial.Id, "search", T0);
            ledger.Started(trial.Id, StartedReply);
        }
        return batch.Select(t => t.Id).ToList();
    }

    /// <summary>A known objective: accuracy peaks at score_lr 1e-2, and seed 2 scores 0.02 less than seed 1.</summary>
    private static TrialOutcome OutcomeOf(TrialSpec trial) =>
        new([new("accuracy", 0.9 - Math.Abs(Math.Log10(trial.Training.ScoreLearningRate) + 2) / 4 - (trial.Seed - 1) * 0.02), new("f1", 0.1)], 0.5, 10, 0, 1, 100, 0);

    private static SweepLedger Reopen(SweepSpec spec, SweepLedger from, SweepState? into = null)
    {
        // Through the stored form, as an activation reads them.
        var state = into ?? new SweepState();
        foreach (var (id, record) in from.TakeChanges().Records) state.Trials[id] = TrialRecordCodec.DecodeRecord(TrialRecordCodec.Encode(record));
        return new SweepLedger(spec, state, _ => null);
    }

    [Fact]
    public void Points_AreProposedAsSlotsFree_EachFromTheResultsSoFar_AndAgainAfterARestart()
    {
        var spec = Search(TwoSeeds, samples: 5);
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);
        var history = new List<SearchTrial>();
        var state = new SweepState();
        Assert.Equal(10, ledger.PlannedTrials);
        Assert.Empty(ledger.Spec.Trials);

        for (var point = 0; point < 5; point++)
        {
            var started = Round(ledger);
            Assert.Equal(2, started.Count); // one point's two seeds
            Assert.Empty(Round(ledger)); // the sweep's limit is full: no point proposed ahead
            var trials = started.Select(id => ledger.Spec.Trials.Single(t => t.Id == id)).ToList();
            var values = new Dictionary<string, double> { ["score_lr"] = trials[0].Training.ScoreLearningRate };
            Assert.All(trials, t => Assert.Equal(values["score_lr"], t.Training.ScoreLearningRate));
            Assert.Equal([1, 2], trials.Select(t => t.Seed));

            // The point is the sampler's, given every point before it with the negative mean of its seeds' accuracy.
            var expected = new TpeSampler(new SearchSpace([new("score_lr", SearchProposals.DistributionOf(ScoreLr))]), 3, new TpeOptions(StartupTrials: 2)).Next(history);
            Assert.Equal(expected["score_lr"], values["score_lr"]);
            history.Add(new SearchTrial(values, -trials.Average(t => OutcomeOf(t).Metrics[0].Value)));

            foreach (var trial in trials) Assert.True(ledger.Finish(trial.Id, OutcomeOf(trial), T0));
            if (point == 2)
            {
                // A restart mid-search: the same trials in the same order, and the next point is the same.
                var reopened = Reopen(spec, ledger, state);
                Assert.Equal(ledger.Spec.Trials.Select(t => t.Id), reopened.Spec.Trials.Select(t => t.Id));
                Assert.Equal(ledger.PlannedTrials, reopened.PlannedTrials);
                Assert.Equal(ledger.Count(TrialState.Done), reopened.Count(TrialState.Done));
                var next = Round(reopened);
                var fresh = Round(ledger);
                Assert.Equal(fresh, next);
                foreach (var id in fresh) ledger.Finish(id, OutcomeOf(ledger.Spec.Trials.Single(t => t.Id == id)), T0);
                history.Add(new SearchTrial(new Dictionary<string, double> { ["score_lr"] = ledger.Spec.Trials.Single(t => t.Id == fresh[0]).Training.ScoreLearningRate },
                    -fresh.Average(id => OutcomeOf(ledger.Spec.Trials.Single(t => t.Id == id)).Metrics[0].Value)));
                point++;
            }
        }
        Assert.Empty(Round(ledger));
        Assert.True(ledger.IsFinished);
        Assert.Equal(10, ledger.Spec.Trials.Count);
        Assert.Equal(5, ledger.Spec.Trials.Select(t => t.Training.ScoreLearningRate).Distinct().Count());
    }

    [Fact]
    public void RunningPoints_AreProposedFrom_WhileTheyRun_AndAFailedPointCountsAsTheWorst()
    {
        // No limit: every round with nothing ready proposes another point, the running ones told to the sampler as such.
        var spec = Search([SweepSpecs.Trial("smp-s", 0.5, 1)], samples: 4, maxConcurrent: 0, retryLimit: 0);
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);
        var first = Assert.Single(Round(ledger));
        var second = Assert.Single(Round(ledger));
        Assert.NotEqual(first, second);
        Assert.NotNull(ledger.Fail(first, "out of memory", T0, TimeSpan.Zero));
        ledger.Finish(second, OutcomeOf(ledger.Spec.Trials[1]), T0);
        var third = Assert.Single(Round(ledger));

        var space = new SearchSpace([new("score_lr", SearchProposals.DistributionOf(ScoreLr))]);
        var sampler = new TpeSampler(space, 3, new TpeOptions(StartupTrials: 2));
        SearchTrial Seen(int index, double? loss) => new(new Dictionary<string, double> { ["score_lr"] = ledger.Spec.Trials[index].Training.ScoreLearningRate }, loss);
        Assert.Equal(sampler.Next([Seen(0, double.PositiveInfinity), Seen(1, -OutcomeOf(ledger.Spec.Trials[1]).Metrics[0].Value)])["score_lr"],
            ledger.Spec.Trials[2].Training.ScoreLearningRate);
        var fourth = Assert.Single(Round(ledger));
        Assert.Equal(sampler.Next([Seen(0, double.PositiveInfinity), Seen(1, -OutcomeOf(ledger.Spec.Trials[1]).Metrics[0].Value), Seen(2, null)])["score_lr"],
            ledger.Spec.Trials[3].Training.ScoreLearningRate);
        Assert.Empty(Round(ledger)); // four points: the search is all proposed
        Assert.False(ledger.IsFinished);
        ledger.Finish(third, OutcomeOf(ledger.Spec.Trials[2]), T0);
        ledger.Finish(fourth, OutcomeOf(ledger.Spec.Trials[3]), T0);
        Assert.True(ledger.IsFinished);
        Assert.Equal([third, fourth], new[] { third, fourth }.Distinct());
    }

    [Fact]
    public void ASpaceWithFewerPointsThanSamples_IsExhausted_AndTheSweepEndsWithThePointsItHas()
    {
        var spec = Search(TwoSeeds, samples: 6, new SearchedSetting("batch_size", "choice", 8, 16, [8, 16]), maxConcurrent: 0);
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);
        var started = Round(ledger).Concat(Round(ledger)).ToList();
        Assert.Empty(Round(ledger)); // both batch sizes are proposed; a third draw repeats one of them every time
        Assert.Equal(4, ledger.PlannedTrials);
        Assert.Equal([8, 16], ledger.Spec.Trials.Select(t => t.Training.BatchSize).Distinct().Order());
        foreach (var id in started) ledger.Finish(id, OutcomeOf(ledger.Spec.Trials.Single(t => t.Id == id)), T0);
        Assert.True(ledger.IsFinished);
    }

    [Fact]
    public void AStudentOfAPoint_LearnsFromThePointsOwnTeacher()
    {
        var teacher = SweepSpecs.Trial("dense", 1, 1);
        var student = SweepSpecs.Trial("smp-s", 0.5, 1, new DistillationSpec(teacher.Id, null, 2, 0.5, 0.5));
        var spec = Search([teacher, student], samples: 2, maxConcurrent: 0);
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);

        var teacherOfPoint = Assert.Single(Round(ledger)); // the student waits for its teacher
        var trials = ledger.Spec.Trials;
        Assert.Equal(2, trials.Count);
        Assert.Equal(teacherOfPoint, trials[0].Id);
        Assert.NotEqual(teacher.Id, teacherOfPoint);
        Assert.Equal(teacherOfPoint, trials[1].Distillation!.TeacherTrialId);
        Assert.Equal(trials[0].Training, trials[1].Training);
        ledger.Finish(teacherOfPoint, OutcomeOf(trials[0]), T0);
        Assert.Equal([trials[1].Id], Round(ledger));
    }

    [Fact]
    public void TwoObjectives_GiveTheSamplerEachPointsMeanAccuracyAndAchievedKeep_AsLosses()
    {
        var keep = new SearchedSetting("keep", "uniform", 0.1, 0.9, []);
        var single = Search(TwoSeeds, samples: 6, keep);
        var spec = single with { Search = single.Search! with { Objectives = [new SearchObjective("accuracy", false, true), new SearchObjective(null, true, false)] } };
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);
        var history = new List<SearchTrial>();
        var sampler = new TpeSampler(new SearchSpace([new("keep", SearchProposals.DistributionOf(keep))]), 3, new TpeOptions(StartupTrials: 2));
        // Accuracy rises with the keep fraction; the masks keep a little more than asked, by seed.
        TrialOutcome Outcome(TrialSpec t) => new([new("accuracy", 0.5 + t.Keep / 2), new("f1", 0.3)], t.Keep + 0.01 * t.Seed, 10, 0, 1, 100, 0);

        for (var point = 0; point < 6; point++)
        {
            var started = Round(ledger).Select(id => ledger.Spec.Trials.Single(t => t.Id == id)).ToList();
            Assert.Equal(2, started.Count);
            Assert.Equal(sampler.Next(history)["keep"], started[0].Keep);
            Assert.All(started, t => Assert.Equal(started[0].Keep, t.Keep));
            foreach (var trial in started) ledger.Finish(trial.Id, Outcome(trial), T0);
            history.Add(SearchTrial.Finished(new Dictionary<string, double> { ["keep"] = started[0].Keep },
                [-started.Average(t => Outcome(t).Metrics[0].Value), started.Average(t => Outcome(t).AchievedKeepFraction)]));
        }
        Assert.True(ledger.IsFinished);
    }
}
