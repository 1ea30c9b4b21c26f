namespace Sweeps.Artifacts;

/// <summary>What an export writes: a Hugging Face folder (<c>transformers</c> loads it) or one ONNX graph.</summary>
public enum ExportFormat
{
    HuggingFace,
    Onnx,
}

public static class ExportFormatNames
{
    public const string Expected = "hf or onnx";

    public static string ToName(this ExportFormat format) => format == ExportFormat.Onnx ? "onnx" : "hf";

    public static ExportFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "hf" => ExportFormat.HuggingFace,
        "onnx" => ExportFormat.Onnx,
        _ => throw new ArgumentException($"unknown export format '{name}', expected {Expected}"),
    };
}
