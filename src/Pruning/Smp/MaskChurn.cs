using Sweeps.Pruning.Models;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Smp;

/// <summary>
/// Mask churn: the fraction of mask bits, over every masked matrix and so weighted by its size, that differ from the
/// masks at the previous measurement. It says whether a ranking has settled (near 0) or the masks are still being
/// redrawn. Keeps a one-byte-per-weight copy of the previous masks on their device, so a measurement copies nothing
/// to the CPU but a count per matrix. Dispose it with the model.
/// </summary>
public sealed class MaskChurn : IDisposable
{
    private readonly IReadOnlyList<MaskedLinear> layers;
    private readonly Tensor[] previous;

    /// <summary>Starts from the masks a trial starts with: none, every weight kept (a layer without a mask keeps all).</summary>
    public MaskChurn(IReadOnlyList<MaskedLinear> layers)
    {
        this.layers = layers;
        previous = layers.Select(AllKept).ToArray();
    }

    /// <summary>The masks the next measurement is compared with, one bool tensor per layer (the churn's baseline, for a checkpoint).</summary>
    public IReadOnlyList<Tensor> Previous => previous;

    /// <summary>Replaces the baseline (a checkpoint's copy of it): any tensor of each layer's shape, non-zero meaning kept.</summary>
    public void Restore(IReadOnlyList<Tensor> masks)
    {
        if (masks.Count != layers.Count) throw new ArgumentException($"{masks.Count} masks for {layers.Count} masked layers");
        for (var i = 0; i < layers.Count; i++)
        {
            Tensor restored;
            using (NewDisposeScope())
                restored = masks[i].to(previous[i].device).ne(0).DetachFromDisposeScope();
            previous[i].Dispose();
            previous[i] = restored;
        }
    }

    /// <summary>The churn of the layers' current masks since the previous measurement (since the start, at the first); they become the baseline.</summary>
    public double Measure()
    {
        using var noGrad = no_grad();
        long changed = 0;
        long total = 0;
        for (var i = 0; i < layers.Count; i++)
        {
            var current = Kept(layers[i]);
            using (var differs = current.ne(previous[i]))
            using (var count = differs.sum())
                changed += count.item<long>();
            total += current.numel();
            previous[i].Dispose();
            previous[i] = current;
        }
        return total == 0 ? 0 : changed / (double)total;
    }

    // Owned here, out of any dispose scope the caller has open: a baseline outlives the call that took it.
    private static Tensor Kept(MaskedLinear layer) => layer.Mask is { } mask ? mask.ne(0).DetachFromDisposeScope() : AllKept(layer);

    private static Tensor AllKept(MaskedLinear layer) =>
        ones(layer.Weight.shape, dtype: ScalarType.Bool, device: layer.Weight.device).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var mask in previous) mask.Dispose();
    }
}
