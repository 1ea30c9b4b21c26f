using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Devices;

/// <summary>Turns device strings ("cpu", "cuda", "cuda:1") into torch devices and discovers what this machine has.</summary>
public static class TorchDevices
{
    /// <summary>Parses and checks a device string; a CUDA device this machine lacks is an error that says what it has.</summary>
    public static Device Parse(string spec)
    {
        var text = spec.Trim().ToLowerInvariant();
        if (text == "cpu") return CPU;
        if (text != "cuda" && !text.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"device '{spec}': expected cpu, cuda or cuda:N", nameof(spec));
        var index = 0;
        if (text.Length > 4 && (!int.TryParse(text[5..], out index) || index < 0))
            throw new ArgumentException($"device '{spec}': expected cuda:N with N a device index", nameof(spec));
        var available = CudaDeviceCount();
        if (index >= available)
            throw new ArgumentException(available == 0
                ? $"device '{spec}': this process has no CUDA device (CPU build of TorchSharp, or no GPU); use cpu"
                : $"device '{spec}': only cuda:0..cuda:{available - 1} exist here", nameof(spec));
        return new Device(DeviceType.CUDA, index);
    }

    /// <summary>The devices a trial can be pinned to: every CUDA device, or "cpu" where there is none.</summary>
    public static IReadOnlyList<string> Discover()
    {
        var count = CudaDeviceCount();
        return count == 0 ? ["cpu"] : Enumerable.Range(0, count).Select(i => $"cuda:{i}").ToArray();
    }

    private static int CudaDeviceCount() => cuda.is_available() ? cuda.device_count() : 0;
}
