using Sweeps.Pruning.Training;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Training;

public sealed class TaskLossTests
{
    [Fact]
    public void Distilled_OneExample_MatchesHandComputedValue()
    {
        float[] student = [1.0f, 0.0f];
        float[] teacher = [0.0f, 2.0f];
        using var s = tensor(student, [1, 2]);
        using var t = tensor(teacher, [1, 2]);
        using var label = tensor(new[] { 1f });
        var settings = new DistillationSettings("unused") { Temperature = 2, AlphaKd = 0.5, AlphaCe = 0.5 };

        using var loss = TaskLoss.Distilled(s, t, label, settings, regression: false);

        // By hand: p_t = softmax([0, 1]), p_s = softmax([0.5, 0]) at T = 2; CE at T = 1 against label 1.
        double[] pt = Softmax([0.0, 1.0]);
        double[] ps = Softmax([0.5, 0.0]);
        var kl = pt[0] * Math.Log(pt[0] / ps[0]) + pt[1] * Math.Log(pt[1] / ps[1]);
        var ce = -Math.Log(Softmax([1.0, 0.0])[1]);
        var expected = 0.5 * kl * 4 + 0.5 * ce;
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Distilled_Regression_IsTheReferencesZeroKlPlusAlphaCeTimesMse()
    {
        using var student = tensor(new[] { 1.5f, -0.5f }, [2, 1]);
        using var teacher = tensor(new[] { 4.0f, 3.0f }, [2, 1]); // far from the student: a squared-error term would show
        using var labels = tensor(new[] { 2f, 0f });
        var settings = new DistillationSettings("unused") { Temperature = 2, AlphaKd = 0.5, AlphaCe = 0.25 };

        using var loss = TaskLoss.Distilled(student, teacher, labels, settings, regression: true);

        // The softmax over one output is 1 for both models: the KL term is 0, whatever the teacher says.
        var mse = (0.5 * 0.5 + 0.5 * 0.5) / 2;
        Assert.Equal(0.25 * mse, loss.item<float>(), 6);
    }

    private static double[] Softmax(double[] z)
    {
        var e = z.Select(Math.Exp).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }
}
