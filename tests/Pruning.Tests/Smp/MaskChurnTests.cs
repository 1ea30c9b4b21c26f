using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Smp;

public sealed class MaskChurnTests : IDisposable
{
    // 4 × 6 = 24 and 4 × 12 = 48 weights: 72 in all, so a change in the small layer weighs half as much per matrix.
    private readonly MaskedLinear small = new(6, 4);
    private readonly MaskedLinear large = new(12, 4);

    public void Dispose()
    {
        small.Dispose();
        large.Dispose();
    }

    private MaskChurn Churn() => new([small, large]);

    /// <summary>A mask with ones at the first <paramref name="kept"/> positions (row-major) of the layer's weight.</summary>
    private static Tensor FirstKept(MaskedLinear layer, int kept)
    {
        var mask = zeros(layer.Weight.shape);
        mask.view(-1)[TensorIndex.Slice(0, kept)].fill_(1);
        return mask;
    }

    [Fact]
    public void Measure_MasksUnchangedSinceTheLast_IsZero()
    {
        small.SetMask(FirstKept(small, 10));
        large.SetMask(FirstKept(large, 30));
        using var churn = Churn();
        churn.Measure();

        Assert.Equal(0.0, churn.Measure());
        Assert.Equal(0.0, churn.Measure());
    }

    [Fact]
    public void Measure_EveryMaskInverted_IsOne()
    {
        small.SetMask(FirstKept(small, 10));
        large.SetMask(FirstKept(large, 30));
        using var churn = Churn();
        churn.Measure();
        small.SetMask(1 - small.Mask!);
        large.SetMask(1 - large.Mask!);

        Assert.Equal(1.0, churn.Measure());
    }

    [Fact]
    public void Measure_KnownChange_IsTheChangedBitsOverEveryMaskedWeight()
    {
        small.SetMask(FirstKept(small, 12));
        large.SetMask(FirstKept(large, 24));
        using var churn = Churn();
        churn.Measure();
        small.SetMask(FirstKept(small, 3)); // 9 bits cleared
        large.SetMask(FirstKept(large, 33)); // 9 bits set

        Assert.Equal(18.0 / 72, churn.Measure());
    }

    [Fact]
    public void Measure_First_IsAgainstEveryWeightKept()
    {
        small.SetMask(FirstKept(small, 6)); // 18 of 24 pruned; the large layer stays dense

        using var churn = Churn();

        Assert.Equal(18.0 / 72, churn.Measure());
    }

    [Fact]
    public void Restore_TheBaselineBitPacked_MeasuresAsIfNeverInterrupted()
    {
        small.SetMask(FirstKept(small, 12));
        large.SetMask(FirstKept(large, 24));
        using var original = Churn();
        original.Measure();
        var packed = original.Previous.Select(MaskBits.Pack).ToList();
        small.SetMask(FirstKept(small, 3));

        using var restored = Churn();
        var unpacked = packed.Zip([small, large], (bits, layer) => MaskBits.Unpack(bits, layer.Weight.shape)).ToList();
        restored.Restore(unpacked);
        foreach (var mask in unpacked) mask.Dispose();

        Assert.Equal(9.0 / 72, restored.Measure());
    }
}
