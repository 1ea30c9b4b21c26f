using Sweeps.Pruning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>Clipping bounds the total gradient norm the optimiser applies, keeps the gradient's direction, and reports the norm before.</summary>
public sealed class GradientClippingTests
{
    private static List<Parameter> WithGradients(params float[][] gradients) => gradients.Select(g =>
    {
        var parameter = new Parameter(zeros(g.Length));
        parameter.grad = tensor(g);
        return parameter;
    }).ToList();

    private static double TotalNorm(IEnumerable<Parameter> parameters) =>
        Math.Sqrt(parameters.Sum(p => p.grad!.pow(2).sum().item<float>()));

    [Fact]
    public void ClipTotalNorm_AboveTheBound_ScaledTogetherToTheBound()
    {
        var parameters = WithGradients([3f, 0f], [0f, 4f]); // total norm 5

        var before = GradientClipping.ClipTotalNorm(parameters, 1.0);

        Assert.Equal(5.0, before, 5);
        Assert.Equal(1.0, TotalNorm(parameters), 4);
        Assert.Equal([0.6f, 0f], parameters[0].grad!.data<float>().ToArray(), new FloatTolerance(1e-5f));
        Assert.Equal([0f, 0.8f], parameters[1].grad!.data<float>().ToArray(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void ClipTotalNorm_BelowTheBound_LeavesTheGradients()
    {
        var parameters = WithGradients([0.3f, 0.4f]);

        var before = GradientClipping.ClipTotalNorm(parameters, 1.0);

        Assert.Equal(0.5, before, 5);
        Assert.Equal([0.3f, 0.4f], parameters[0].grad!.data<float>().ToArray());
    }

    [Fact]
    public void ClipTotalNorm_Zero_MeasuresWithoutClipping()
    {
        var parameters = WithGradients([30f, 40f]);

        var before = GradientClipping.ClipTotalNorm(parameters, 0);

        Assert.Equal(50.0, before, 4);
        Assert.Equal([30f, 40f], parameters[0].grad!.data<float>().ToArray());
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}
