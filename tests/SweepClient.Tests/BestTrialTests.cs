using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.SweepClient.Commands;

namespace Sweeps.SweepClient.Tests;

/// <summary>Which trial `sweep export SWEEP --best` takes from a sweep's finished trials.</summary>
public sealed class BestTrialTests
{
    private static readonly TrainingSpec Training = new(3, 8, 48, 512, 400, 2e-2, 3e-3, 3e-5, 400, null, 2.0 / 3.0);

    private static TrialStatus Trial(string method, double keep, int seed, double accuracy, TrialState state = TrialState.Done) =>
        new(new TrialSpec("spam-assassin", null, "minilm-l6-h384", method, keep, "linear", null, seed, Training, "default"),
            state, 1, null, null, null,
            state is TrialState.Done or TrialState.Reused
                ? new TrialOutcome([new("accuracy", accuracy), new("f1", 1 - accuracy)], keep, 100, 0, 10, 100, 1000) { FinalMetrics = [new("accuracy", 1.0)] }
                : null,
            null);

    private static SweepStatus Sweep(params TrialStatus[] trials) => new("s1", "grid", DateTimeOffset.UnixEpoch, false, trials);

    [Fact]
    public void Choose_TheHighestPrimaryMetricAtTheBestEvaluation_AmongTheCellsFinishedTrials_SayingWhy()
    {
        var sweep = Sweep(
            Trial("smp-s", 0.1, 1, 0.90), Trial("smp-s", 0.1, 2, 0.95), Trial("smp-l", 0.1, 1, 0.97),
            Trial("smp-s", 0.5, 1, 0.99), Trial("smp-s", 0.1, 3, 0.0, TrialState.Running));

        var chosen = BestTrial.Choose(sweep, "spam-assassin", 0.1, "smp-s");

        Assert.Equal(2, chosen.Spec.Seed);
        Assert.Contains("2 trials match", chosen.Reason);
        Assert.Contains("accuracy", chosen.Reason);
        Assert.Contains("0.95", chosen.Reason);
        Assert.Equal("smp-l", BestTrial.Choose(sweep, "spam-assassin", 0.1, null).Spec.Method); // without --method every method competes
    }

    [Fact]
    public void Choose_EqualScores_TheLowerSeedWhateverTheOrder()
    {
        Assert.Equal(1, BestTrial.Choose(Sweep(Trial("smp-s", 0.1, 2, 0.9), Trial("smp-s", 0.1, 1, 0.9)), "spam-assassin", 0.1, null).Spec.Seed);
        Assert.Equal(1, BestTrial.Choose(Sweep(Trial("smp-s", 0.1, 1, 0.9), Trial("smp-s", 0.1, 2, 0.9)), "spam-assassin", 0.1, null).Spec.Seed);
    }

    [Fact]
    public void Choose_NoFinishedTrialInTheCell_IsAnErrorListingTheCellsThereAre()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BestTrial.Choose(Sweep(Trial("smp-s", 0.5, 1, 0.9), Trial("smp-s", 0.1, 1, 0, TrialState.Failed)), "spam-assassin", 0.1, null));

        Assert.Contains("no finished trial of task 'spam-assassin' at keep 0.1", error.Message);
        Assert.Contains("spam-assassin keep 0.5 smp-s", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
