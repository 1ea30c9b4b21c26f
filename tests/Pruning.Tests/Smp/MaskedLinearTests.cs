using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Smp;

public sealed class MaskedLinearTests
{
    [Fact]
    public void Backward_WithScores_ScoreGradientEqualsEffectiveWeightGradientTimesWeight()
    {
        manual_seed(11);
        using var layer = new MaskedLinear(6, 4);
        var scores = layer.AttachScores();
        using (no_grad()) scores.copy_(randn(4, 6));
        layer.SetMask(MaskFunctions.TopK(scores, 12));
        layer.Weight.requires_grad = false;
        layer.Bias.requires_grad = false;
        using var input = randn(3, 6);

        using var output = layer.call(input);
        using var loss = (output * output).sum();
        loss.backward();

        // Independently: the same loss as a function of W' = W ⊙ M, differentiated with respect to W'.
        using var effective = (layer.Weight * layer.Mask!).detach().requires_grad_(true);
        using var reference = nn.functional.linear(input, effective, layer.Bias);
        using var referenceLoss = (reference * reference).sum();
        referenceLoss.backward();
        using var expected = effective.grad! * layer.Weight;

        Assert.True(scores.grad!.allclose(expected, rtol: 1e-6, atol: 1e-7));
        Assert.True(output.allclose(reference));
    }

    [Fact]
    public void Forward_WithMask_ExactlyTheMaskedWeight()
    {
        manual_seed(12);
        using var layer = new MaskedLinear(5, 3);
        layer.AttachScores();
        using var mask = MaskFunctions.TopK(randn(3, 5), 7);
        layer.SetMask(mask.clone());
        using var input = randn(2, 5);

        using var output = layer.call(input);
        using var expected = nn.functional.linear(input, layer.Weight * mask, layer.Bias);

        Assert.True(output.equal(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ModuleTo_AfterSetMask_MovesTheMaskWithTheWeights(bool bf16)
    {
        // The meta device stands in for a GPU here: a move to it shows up on every machine, CUDA or not.
        using var layer = new MaskedLinear(5, 3);
        if (bf16) layer.RunIn(ScalarType.BFloat16, storeWeights: true);
        layer.SetMask(MaskFunctions.TopK(randn(3, 5), 7));

        layer.to(new Device(DeviceType.META));

        Assert.Equal(DeviceType.META, layer.Weight.device_type);
        Assert.Equal(DeviceType.META, layer.Mask!.device_type);
        using var output = layer.call(empty(2, 5, device: new Device(DeviceType.META)));
        Assert.Equal(DeviceType.META, output.device_type);
        Assert.Equal([2L, 3L], output.shape);
    }
}
