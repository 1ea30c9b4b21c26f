using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>A tensor to be written to a safetensors file: its name, dtype, shape and raw little-endian bytes.</summary>
public sealed record SafetensorsBlob(string Name, string DType, long[] Shape, byte[] Bytes)
{
    /// <summary>A float32 copy of a tensor (from any device).</summary>
    public static SafetensorsBlob FromFloat32(string name, Tensor value)
    {
        using var cpu = value.detach().to(ScalarType.Float32).cpu().contiguous();
        return new SafetensorsBlob(name, "F32", cpu.shape, MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray());
    }

    /// <summary>Opaque bytes, stored as a one-dimensional U8 tensor.</summary>
    public static SafetensorsBlob FromBytes(string name, byte[] bytes) => new(name, "U8", [bytes.Length], bytes);
}
