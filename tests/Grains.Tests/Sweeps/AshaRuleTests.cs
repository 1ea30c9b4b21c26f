using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Tests.Cluster;

namespace Sweeps.Grains.Tests.Sweeps;

/// <summary>ASHA's stops, scripted: rungs, cutoffs, arrival order, brackets by sparsity, collapses.</summary>
public sealed class AshaRuleTests
{
    private static readonly EarlyStoppingSpec Asha = new(Metric: "accuracy", Maximize: true, Grace: 10, ReductionFactor: 3, Max: 100, StopCollapsed: false);

    private static TrialSpec Trial(int seed, double keep = 0.5) => SweepSpecs.Trial("smp-s", keep, seed);

    private static EvaluationPoint At(int step, double accuracy, bool collapsed = false) => new(step, [new("accuracy", accuracy)], collapsed);

    [Fact]
    public void Rungs_LieAtGraceTimesEtaToTheK_BelowMax()
    {
        Assert.Equal([10, 30, 90], Asha.Rungs());
        Assert.Equal([5, 10, 20, 40, 80], (Asha with { Grace = 5, ReductionFactor = 2 }).Rungs());
    }

    [Fact]
    public void AtARung_TheFirstToArriveGoesOn_ALaterOneBelowTheCutoffStops()
    {
        var rule = new AshaRule(Asha);
        var (a, b, c, d) = (Trial(1), Trial(2), Trial(3), Trial(4));

        Assert.False(rule.ShouldStop(a, At(10, 0.90)));  // alone at the rung
        Assert.True(rule.ShouldStop(b, At(10, 0.50)));   // cutoff of [0.90] is 0.90
        Assert.False(rule.ShouldStop(c, At(10, 0.95)));  // cutoff of [0.50, 0.90] at 2/3 is 0.767
        Assert.True(rule.ShouldStop(d, At(10, 0.85)));   // cutoff of [0.50, 0.90, 0.95] at 2/3 is 0.917
    }

    [Fact]
    public void TheSameValues_ArrivingInAnotherOrder_StopOtherTrials()
    {
        var rule = new AshaRule(Asha);
        var (a, b, c, d) = (Trial(1), Trial(2), Trial(3), Trial(4));

        Assert.False(rule.ShouldStop(b, At(10, 0.50)));  // first: goes on, though it is the worst
        Assert.False(rule.ShouldStop(d, At(10, 0.85)));  // cutoff 0.50
        Assert.False(rule.ShouldStop(a, At(10, 0.90)));  // cutoff of [0.50, 0.85] at 2/3 is 0.733
        Assert.False(rule.ShouldStop(c, At(10, 0.95)));  // cutoff of [0.50, 0.85, 0.90] at 2/3 is 0.867
    }

    [Fact]
    public void ATrialIsRankedOncePerRung_AndNotBeforeGraceNorBetweenRungs()
    {
        var rule = new AshaRule(Asha);
        var (a, b) = (Trial(1), Trial(2));
        rule.ShouldStop(a, At(10, 0.9));

        Assert.False(rule.ShouldStop(b, At(5, 0.1)));    // before grace
        Assert.True(rule.ShouldStop(b, At(10, 0.1)));
        Assert.False(rule.ShouldStop(b, At(20, 0.1)));   // between rungs 10 and 30: already ranked at 10
        Assert.False(rule.ShouldStop(a, At(20, 0.1)));
    }

    [Fact]
    public void AnEvaluationPastSeveralRungs_CountsAtTheHighest()
    {
        var rule = new AshaRule(Asha);
        var (a, b, c) = (Trial(1), Trial(2), Trial(3));
        rule.ShouldStop(a, At(30, 0.9));                 // recorded at rung 30

        Assert.False(rule.ShouldStop(b, At(10, 0.1)));   // alone at rung 10
        Assert.True(rule.ShouldStop(c, At(40, 0.5)));    // at rung 30, below a's 0.9
    }

    [Fact]
    public void TrialsOfAnotherSparsityOrTask_AreNeverRankedTogether()
    {
        var rule = new AshaRule(Asha);
        rule.ShouldStop(Trial(1, keep: 0.5), At(10, 0.95));

        Assert.False(rule.ShouldStop(Trial(2, keep: 0.1), At(10, 0.60)));  // keep 10%: its own bracket, first there
        Assert.False(rule.ShouldStop(Trial(3, keep: 0.1) with { Task = "mnli" }, At(10, 0.30)));
        Assert.True(rule.ShouldStop(Trial(4, keep: 0.1), At(10, 0.55)));   // below the keep-10% trial
    }

    [Fact]
    public void ACollapsedTrial_IsStoppedAtItsFirstRung_OnlyWhenAskedTo_AndOnlyOnceAnotherReachedItUncollapsed()
    {
        var stopping = new AshaRule(Asha with { StopCollapsed = true });
        var keeping = new AshaRule(Asha);

        Assert.False(stopping.ShouldStop(Trial(1), At(10, 0.7, collapsed: true))); // every trial so far collapsed: nothing is known yet
        Assert.False(stopping.ShouldStop(Trial(2), At(10, 0.8)));
        Assert.True(stopping.ShouldStop(Trial(3), At(10, 0.7, collapsed: true)));  // trial 2 learned by this rung
        Assert.False(keeping.ShouldStop(Trial(3), At(10, 0.7, collapsed: true)));
        Assert.False(stopping.ShouldStop(Trial(2), At(30, 0.7, collapsed: true))); // past its first rung: never stopped for a collapse
    }

    [Fact]
    public void ACollapsedEvaluation_IsNotRanked_NeitherStoppedByItsValueNorSettingTheCutoff()
    {
        // On a 72/28 task a trial stuck on the minority class scores 0.28, one stuck on the majority 0.72; either may learn later.
        var rule = new AshaRule(Asha);

        Assert.False(rule.ShouldStop(Trial(1), At(10, 0.72, collapsed: true)));
        Assert.False(rule.ShouldStop(Trial(2), At(10, 0.28, collapsed: true))); // below 0.72, but collapsed: no evidence
        Assert.False(rule.ShouldStop(Trial(3), At(10, 0.60)));                  // first ranked value at the rung: goes on
        Assert.True(rule.ShouldStop(Trial(4), At(10, 0.55)));                   // ranked against 0.60 alone, not the collapsed 0.72
    }

    [Fact]
    public void WhenLowerIsBetter_TheCutoffIsTheLowerQuantile()
    {
        var rule = new AshaRule(Asha with { Metric = "loss", Maximize = false });
        EvaluationPoint Loss(double value) => new(10, [new("accuracy", 0.5), new("loss", value)], false);

        Assert.False(rule.ShouldStop(Trial(1), Loss(0.2)));
        Assert.True(rule.ShouldStop(Trial(2), Loss(0.4)));
        Assert.False(rule.ShouldStop(Trial(3), Loss(0.1)));
    }

    [Fact]
    public void WithoutAMetricNamed_TheFirstMetricIsRanked()
    {
        var rule = new AshaRule(Asha with { Metric = null });
        EvaluationPoint F1First(double f1) => new(10, [new("f1", f1), new("accuracy", 1 - f1)], false);

        Assert.False(rule.ShouldStop(Trial(1), F1First(0.8)));
        Assert.True(rule.ShouldStop(Trial(2), F1First(0.3)));
    }

    [Fact]
    public void OnAFront_ASmallerModelScoringLess_GoesOn_ATrialMostOfTheRungDominates_Stops()
    {
        var rule = new AshaRule(Asha, front: true);
        Assert.False(rule.ShouldStop(Trial(1, keep: 0.5), At(10, 0.90)));
        Assert.False(rule.ShouldStop(Trial(2, keep: 0.3), At(10, 0.85)));
        Assert.False(rule.ShouldStop(Trial(3, keep: 0.1), At(10, 0.70))); // less accurate, but smaller than both: on the front

        // Larger than two of the three before it and less accurate than both (η 3: at least two thirds dominate it): stops.
        Assert.True(rule.ShouldStop(Trial(4, keep: 0.6), At(10, 0.80)));
        // Dominated by one of four: goes on.
        Assert.False(rule.ShouldStop(Trial(5, keep: 0.4), At(10, 0.80)));
        // Without the front, a keep fraction no other trial has is its own bracket: nothing to rank against.
        Assert.False(new AshaRule(Asha).ShouldStop(Trial(4, keep: 0.6), At(10, 0.80)));
    }
}
