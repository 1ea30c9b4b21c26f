using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// Puts a model in a <see cref="Precision"/>. Under bf16 every linear layer of the encoder multiplies in bfloat16; when
/// the weights are frozen (SMP) they and the embedding tables are also stored in it, halving the model's memory, while
/// trained weights (dense, magnitude, movement) stay float32 master copies. LayerNorm, the residual stream between
/// layers, the pooler, the heads and the losses stay float32; attention's softmax accumulates in float32 inside the
/// fused kernel.
/// </summary>
public static class MixedPrecision
{
    /// <summary>Call after the model is on its device and before scores are attached.</summary>
    public static void Apply(PretrainedBert model, Precision precision, bool weightsTrained)
    {
        if (precision == Precision.Fp32) return;
        var type = precision.ComputeType();
        foreach (var linear in model.modules().OfType<MaskedLinear>()) linear.RunIn(type, storeWeights: !weightsTrained);
        if (!weightsTrained) model.Encoder.Embeddings.StoreTablesAs(type);
    }
}
