using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;

namespace Sweeps.Bench;

/// <summary>
/// The events of a large sweep in its steady state, applied to its ledger as the sweep grain applies reports: trials
/// started, evaluations arriving in heartbeats, results. <see cref="Seed"/> brings a fresh sweep to 5% queued, up to
/// 1,000 running and the rest finished; <see cref="OneSecond"/> adds what a second brings at 1,000 trials at once.
/// </summary>
public sealed class SweepEvents(SweepLedger ledger, SweepSpec spec, string sweepId, SteppedClock clock)
{
    private const int AtOnce = 1_000;
    private readonly Queue<string> running = new();
    private int next;
    private double evaluationsDue, finishesDue;

    public void Seed()
    {
        var queued = spec.Trials.Count / 20;
        var runningCount = Math.Min(AtOnce, spec.Trials.Count / 10);
        var finished = spec.Trials.Count - queued - runningCount;
        for (var i = 0; i < finished; i++)
        {
            var id = Start();
            Evaluate(id, 100);
            Evaluate(id, 200);
            Finish(id);
        }
        for (var i = 0; i < runningCount; i++)
        {
            var id = Start();
            Evaluate(id, 100);
            running.Enqueue(id);
        }
    }

    /// <summary>A second at 1,000 trials at once: each evaluates once a minute and runs ten (fractions carried over).</summary>
    public void OneSecond()
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        evaluationsDue += AtOnce / 60.0;
        finishesDue += AtOnce / 600.0;
        for (; evaluationsDue >= 1; evaluationsDue--)
        {
            var id = running.Dequeue();
            Evaluate(id, 200 + (int)clock.GetUtcNow().ToUnixTimeSeconds() % 1000);
            running.Enqueue(id);
        }
        for (; finishesDue >= 1 && next < spec.Trials.Count; finishesDue--)
        {
            Finish(running.Dequeue());
            running.Enqueue(Start());
        }
    }

    private string Start()
    {
        var id = spec.Trials[next++].Id;
        ledger.Dispatching(id, sweepId, clock.GetUtcNow());
        ledger.Started(id, new TrialStartReply(true, "S10.1.2.3:11111:123456789", $"cpu:{next % 500}"));
        return id;
    }

    private void Evaluate(string id, int step) =>
        ledger.Heartbeat(id, new TrialProgressReport(TrialPhase.Training, step, 2000, 0.4, 0.1, 900)
        {
            Evaluations = new List<EvaluationPoint> { new(step, Metrics(0.9, 0.88), false) { MaskChurn = 0.01 } },
        }, clock.GetUtcNow());

    /// <summary>A list, as the product's records hold: the whole-document store names each object's type, and cannot name a collection expression's.</summary>
    private static List<KeyValuePair<string, double>> Metrics(double accuracy, double f1) => [new("accuracy", accuracy), new("f1", f1)];

    private void Finish(string id)
    {
        var curve = new List<EvaluationPoint>
        {
            new(100, Metrics(0.85, 0.83), false) { MaskChurn = 0.04 },
            new(200, Metrics(0.9, 0.88), false) { MaskChurn = 0.01 },
        };
        ledger.Finish(id, new TrialOutcome(Metrics(0.9, 0.88), 0.1, 2000, 0, 600, 900, 1_300_000)
        {
            FinalMetrics = Metrics(0.9, 0.88), BestStep = 200, Curve = curve, EvaluationSeconds = 30, TrainingSeconds = 560,
        }, clock.GetUtcNow());
    }
}

/// <summary>A clock that moves only when told (the benchmark's simulated seconds).</summary>
public sealed class SteppedClock : TimeProvider
{
    private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
