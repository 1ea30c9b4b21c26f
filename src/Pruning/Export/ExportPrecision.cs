using static TorchSharp.torch;

namespace Sweeps.Pruning.Export;

/// <summary>The number format an export stores its weights in: float32 by default, or half the bytes in fp16 / bf16.</summary>
public enum ExportPrecision
{
    Fp32,
    Fp16,
    Bf16,
}

public static class ExportPrecisionNames
{
    public const string Expected = "fp32, fp16 or bf16";

    public static string ToName(this ExportPrecision precision) => precision switch
    {
        ExportPrecision.Fp16 => "fp16",
        ExportPrecision.Bf16 => "bf16",
        _ => "fp32",
    };

    public static ExportPrecision Parse(string name) => name.ToLowerInvariant() switch
    {
        "fp32" => ExportPrecision.Fp32,
        "fp16" => ExportPrecision.Fp16,
        "bf16" => ExportPrecision.Bf16,
        _ => throw new ArgumentException($"unknown dtype '{name}', expected {Expected}"),
    };

    /// <summary>The dtype safetensors names.</summary>
    public static string SafetensorsDType(this ExportPrecision precision) => precision switch
    {
        ExportPrecision.Fp16 => "F16",
        ExportPrecision.Bf16 => "BF16",
        _ => "F32",
    };

    /// <summary>config.json's <c>torch_dtype</c>.</summary>
    public static string TorchDType(this ExportPrecision precision) => precision switch
    {
        ExportPrecision.Fp16 => "float16",
        ExportPrecision.Bf16 => "bfloat16",
        _ => "float32",
    };

    public static ScalarType ScalarType(this ExportPrecision precision) => precision switch
    {
        ExportPrecision.Fp16 => TorchSharp.torch.ScalarType.Float16,
        ExportPrecision.Bf16 => TorchSharp.torch.ScalarType.BFloat16,
        _ => TorchSharp.torch.ScalarType.Float32,
    };
}
