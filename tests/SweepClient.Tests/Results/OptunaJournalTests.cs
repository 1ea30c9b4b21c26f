using System.Text.Json;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Results;

/// <summary>A sweep written as an Optuna journal opens in Optuna itself with the same trials, states, values and settings.</summary>
public sealed class OptunaJournalTests : IDisposable
{
    private static readonly TrainingSpec Training = new(3, 8, 48, 512, 400, 2e-2, 3e-3, 3e-5, 400, null, 2.0 / 3.0);
    private static readonly DateTimeOffset Submitted = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    private static TrialStatus Trial(string method, double keep, int seed, double scoreLr, TrialState state, double? accuracy = null)
    {
        var spec = new TrialSpec("sst2", null, "minilm", method, keep, "linear", null, seed, Training with { ScoreLearningRate = scoreLr }, "default");
        var curve = new List<EvaluationPoint> { new(96, [new("accuracy", 0.7)], false), new(192, [new("accuracy", accuracy ?? 0.75)], false) };
        var outcome = accuracy is { } a
            ? new TrialOutcome([new("accuracy", a)], keep + 0.001, 192, 0, 60, 100, 1000) { Curve = curve, Collapsed = a < 0.6 }
            : null;
        var started = Submitted.AddMinutes(seed);
        return new TrialStatus(spec, state, 1, null, null, null, outcome, state == TrialState.Failed ? "out of memory" : null)
        {
            Curve = state == TrialState.Running ? curve[..1] : [],
            History = state == TrialState.Queued ? [] : [new TrialAttempt(1, "silo", "cpu", started, state == TrialState.Running ? null : started.AddMinutes(2), null)],
        };
    }

    [Fact]
    public void Write_ASweepOfEveryState_OptunaReadsTheSameTrials()
    {
        TrialStatus[] trials =
        [
            Trial("smp-s", 0.5, 1, 0.01, TrialState.Done, 0.91),
            Trial("smp-s", 0.5, 2, 0.02, TrialState.Reused, 0.55),
            Trial("magnitude", 0.1, 1, 0.01, TrialState.Stopped, 0.80),
            Trial("magnitude", 0.1, 2, 0.02, TrialState.Failed),
            Trial("smp-s", 0.1, 3, 0.04, TrialState.Running),
            Trial("smp-s", 0.1, 4, 0.04, TrialState.Queued),
        ];
        var path = work.Write("study.log", OptunaJournal.Write(new SweepStatus("tiny-0123abcd", "tiny", Submitted, false, trials)));

        var study = OptunaPeer.LoadJournal(path);

        Assert.Equal("tiny (tiny-0123abcd)", study.GetProperty("name").GetString());
        Assert.Equal(["MAXIMIZE"], study.GetProperty("directions").EnumerateArray().Select(d => d.GetString()));
        var read = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(["COMPLETE", "COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"], read.Select(t => t.GetProperty("state").GetString()));
        Assert.Equal([[0.91], [0.55], null, null, null, null], read.Select(Values));
        // The settings that differ, as params of Optuna's kinds: the method a choice, the keep and learning rate numbers.
        Assert.Equal(["smp-s", "smp-s", "magnitude", "magnitude", "smp-s", "smp-s"], read.Select(t => t.GetProperty("params").GetProperty("method").GetString()));
        Assert.Equal([0.5, 0.5, 0.1, 0.1, 0.1, 0.1], read.Select(t => t.GetProperty("params").GetProperty("keep").GetDouble()));
        Assert.Equal([0.01, 0.02, 0.01, 0.02, 0.04, 0.04], read.Select(t => t.GetProperty("params").GetProperty("score_lr").GetDouble()));
        Assert.All(read, t => Assert.Equal(["keep", "method", "score_lr"], t.GetProperty("params").EnumerateObject().Select(p => p.Name).Order()));
        // The seed and the trial's id are attributes, with the sweep's own state and the collapse.
        Assert.Equal(trials.Select(t => t.Spec.Id), read.Select(t => t.GetProperty("user_attrs").GetProperty("trial_id").GetString()));
        Assert.Equal([1, 2, 1, 2, 3, 4], read.Select(t => t.GetProperty("user_attrs").GetProperty("seed").GetInt32()));
        Assert.Equal("reused", read[1].GetProperty("user_attrs").GetProperty("state").GetString());
        Assert.True(read[1].GetProperty("user_attrs").GetProperty("collapsed").GetBoolean());
        // Dev evaluations by step, a running trial's so far; start and end times from its attempts.
        Assert.Equal(["96", "192"], read[0].GetProperty("intermediate_values").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.8, read[2].GetProperty("intermediate_values").GetProperty("192").GetDouble());
        Assert.Equal(["96"], read[4].GetProperty("intermediate_values").EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-12-01T09:01:00", read[0].GetProperty("started").GetString());
        Assert.Equal("2026-12-01T09:03:00", read[0].GetProperty("completed").GetString());
        Assert.Equal(JsonValueKind.Null, read[4].GetProperty("completed").ValueKind);
        Assert.Equal(JsonValueKind.Null, read[5].GetProperty("started").ValueKind); // waiting: not started
    }

    [Fact]
    public void Write_ATwoObjectiveSearch_OptunaReadsBothValuesAndFindsTheSameFront()
    {
        // Accuracy (max) against the keep the masks achieved (min, keep + 0.001 here): the 0.05 and 0.2 points trade off,
        // 0.3 is beaten by 0.2 on both, and the failed trial has no values.
        TrialStatus[] trials =
        [
            Trial("smp-s", 0.05, 1, 0.01, TrialState.Done, 0.80),
            Trial("smp-s", 0.2, 1, 0.02, TrialState.Done, 0.90),
            Trial("smp-s", 0.3, 1, 0.04, TrialState.Done, 0.85),
            Trial("smp-s", 0.1, 1, 0.03, TrialState.Failed),
        ];
        SearchObjective[] objectives = [new("accuracy", Keep: false, Maximise: true), new(null, Keep: true, Maximise: false)];
        var path = work.Write("study.log", OptunaJournal.Write(new SweepStatus("pareto-0123abcd", "pareto", Submitted, false, trials) { Objectives = objectives }));

        var study = OptunaPeer.LoadJournal(path);

        Assert.Equal(["MAXIMIZE", "MINIMIZE"], study.GetProperty("directions").EnumerateArray().Select(d => d.GetString()));
        var read = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(["COMPLETE", "COMPLETE", "COMPLETE", "FAIL"], read.Select(t => t.GetProperty("state").GetString()));
        Assert.Equal([[0.80, 0.051], [0.90, 0.201], [0.85, 0.301], null], read.Select(Values));
        Assert.Equal([0, 1], study.GetProperty("best_trials").EnumerateArray().Select(n => n.GetInt32()).Order());
    }

    /// <summary>A trial's values as Optuna read them (null for none), to three decimals.</summary>
    private static double[]? Values(JsonElement trial) =>
        trial.GetProperty("values").ValueKind == JsonValueKind.Null ? null : [.. trial.GetProperty("values").EnumerateArray().Select(v => Math.Round(v.GetDouble(), 3))];
}
