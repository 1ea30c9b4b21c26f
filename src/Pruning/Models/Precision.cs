using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// The number format of a trial's matrix arithmetic. <see cref="Bf16"/> is mixed precision: the encoder's linear layers
/// (and, when they are frozen, their weights and the embeddings) in bfloat16; scores, optimiser state, LayerNorm, the
/// residual stream, the head and the losses in float32.
/// </summary>
public enum Precision
{
    Fp32,
    Bf16,
}

public static class PrecisionNames
{
    public static string ToName(this Precision precision) => precision == Precision.Bf16 ? "bf16" : "fp32";

    /// <summary>Every precision's name, in words.</summary>
    public const string Expected = "fp32 or bf16";

    public static Precision Parse(string name) => name.ToLowerInvariant() switch
    {
        "fp32" => Precision.Fp32,
        "bf16" => Precision.Bf16,
        _ => throw new ArgumentException($"unknown precision '{name}', expected {Expected}"),
    };

    /// <summary>The tensor type the encoder's matrix products run in.</summary>
    public static ScalarType ComputeType(this Precision precision) => precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;
}
