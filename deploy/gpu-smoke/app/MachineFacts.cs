using System.Runtime.InteropServices;

namespace Sweeps.GpuSmoke;

/// <summary>What the report says about the machine, read from /proc (no nvidia-smi or Python needed).</summary>
public static class MachineFacts
{
    public static string Cpu() =>
        Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The NVIDIA driver's version line, or null without the driver.</summary>
    public static string? NvidiaDriver() => Read("/proc/driver/nvidia/version")?.Split('\n')[0].Trim();

    /// <summary>Each GPU's model as the driver names it, by PCI bus (CUDA may number them in another order).</summary>
    public static IReadOnlyList<string> NvidiaGpus()
    {
        const string root = "/proc/driver/nvidia/gpus";
        if (!Directory.Exists(root)) return [];
        return Directory.GetDirectories(root).Order()
            .Select(bus => (bus: Path.GetFileName(bus), model: Read(Path.Combine(bus, "information"))?.Split('\n')
                .FirstOrDefault(l => l.StartsWith("Model:"))?.Split(':', 2)[1].Trim()))
            .Select(g => $"{g.model ?? "unknown model"} (bus {g.bus})")
            .ToList();
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
