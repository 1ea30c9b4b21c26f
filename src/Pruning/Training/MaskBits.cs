using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>Packs a binary mask into 1 bit per weight (bit j of byte i is element 8i + j) and back.</summary>
public static class MaskBits
{
    public static byte[] Pack(Tensor mask)
    {
        using var flat = mask.detach().reshape(-1).to(ScalarType.Bool).cpu();
        var bits = flat.data<bool>().ToArray();
        var packed = new byte[(bits.Length + 7) / 8];
        for (var i = 0; i < bits.Length; i++)
            if (bits[i]) packed[i >> 3] |= (byte)(1 << (i & 7));
        return packed;
    }

    public static Tensor Unpack(byte[] packed, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (packed.Length != (count + 7) / 8)
            throw new ArgumentException($"{packed.Length} bytes cannot hold a mask of shape [{string.Join(", ", shape)}]");
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (packed[i >> 3] >> (int)(i & 7) & 1) == 1 ? 1f : 0f;
        return tensor(values, shape);
    }
}
