using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>The two AdamW updates, against the formulas worked by hand in double precision.</summary>
public sealed class TrialOptimizerTests
{
    private const double LearningRate = 0.1;
    private static readonly double[] Start = [1.0, -2.0, 0.5];
    // The second and third gradients are near ε, where the two updates differ.
    private static readonly double[][] Gradients = [[0.5, 2e-8, -1e-8], [-0.25, 1e-8, 3e-8]];

    private static double[] Train(bool transformers, bool reloadBetweenSteps = false)
    {
        using var parameter = new Parameter(tensor(Start.Select(v => (float)v).ToArray()));
        var optimizer = TrialOptimizer.Create([([parameter], LearningRate)], transformers);
        try
        {
            foreach (var (gradient, step) in Gradients.Select((g, i) => (g, i)))
            {
                if (reloadBetweenSteps && step > 0)
                {
                    var state = optimizer.SaveState();
                    optimizer.Dispose();
                    optimizer = TrialOptimizer.Create([([parameter], LearningRate)], transformers);
                    optimizer.LoadState(state);
                }
                optimizer.ZeroGrad();
                using var slope = tensor(gradient.Select(v => (float)v).ToArray());
                using var loss = (parameter * slope).sum();
                loss.backward();
                optimizer.Step();
            }
            return parameter.detach().data<float>().Select(v => (double)v).ToArray();
        }
        finally
        {
            optimizer.Dispose();
        }
    }

    // θ −= lr · c(t) · m / (√v + e(t)): transformers with c = √(1 − β₂ᵗ)/(1 − β₁ᵗ), e = ε; torch with c = 1/(1 − β₁ᵗ) and √v̂ + ε.
    private static double[] ByHand(bool transformers)
    {
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var theta = (double[])Start.Clone();
        var m = new double[theta.Length];
        var v = new double[theta.Length];
        for (var t = 1; t <= Gradients.Length; t++)
            for (var i = 0; i < theta.Length; i++)
            {
                var g = Gradients[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                var (c1, c2) = (1 - Math.Pow(b1, t), 1 - Math.Pow(b2, t));
                theta[i] -= transformers
                    ? LearningRate * Math.Sqrt(c2) / c1 * m[i] / (Math.Sqrt(v[i]) + eps)
                    : LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + eps);
            }
        return theta;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TwoSteps_MatchTheUpdateComputedByHand(bool transformers)
    {
        var expected = ByHand(transformers);
        var actual = Train(transformers);

        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Fact]
    public void TheTwoUpdates_DifferWhereGradientsAreNearEpsilon()
    {
        var (transformers, torch) = (ByHand(true), ByHand(false));
        // Worked by hand: at t = 1 the transformers step on the second weight is 0.1 · 0.0316/0.1 · 2e-9 / (6.3e-10 + 1e-8) ≈ 0.0060,
        // torch's 0.1 · 2e-8 / (2e-8 + 1e-8) ≈ 0.067: ε counts 31.6× more in transformers' update at the first step.
        Assert.True(Math.Abs(transformers[1] - torch[1]) > 0.05, $"{transformers[1]} against {torch[1]}");
        Assert.Equal(transformers[1], Train(true)[1], 5);
        Assert.Equal(torch[1], Train(false)[1], 5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StateSavedAndLoaded_GivesTheSameSecondStep(bool transformers) =>
        Assert.Equal(Train(transformers), Train(transformers, reloadBetweenSteps: true));

    [Fact]
    public void LearningRates_AreEachGroupsBaseTimesTheFactor()
    {
        using var a = new Parameter(zeros(2));
        using var b = new Parameter(zeros(2));
        using var optimizer = TrialOptimizer.Create([([a], 0.02), ([b], 3e-5)], transformers: true);

        optimizer.SetLearningRates(0.5);

        Assert.Equal([0.01, 1.5e-5], optimizer.LearningRates);
    }

    [Theory]
    [InlineData(PruningMethod.Dense)]
    [InlineData(PruningMethod.Magnitude)]
    [InlineData(PruningMethod.Movement)]
    [InlineData(PruningMethod.SmpLocal)]
    [InlineData(PruningMethod.SmpScoreAllocated)]
    public void EveryMethodsReference_UsesTransformersAdamW_UnlessATrialSaysOtherwise(PruningMethod method)
    {
        var config = new TrialConfig { Task = "sst2", Method = method };

        Assert.True(config.UsesTransformersAdamW());
        Assert.False((config with { TransformersAdamW = 0 }).UsesTransformersAdamW());
    }
}
