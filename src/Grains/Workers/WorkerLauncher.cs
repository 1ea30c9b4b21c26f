using System.Diagnostics;
using System.Runtime.InteropServices;
using Sweeps.Artifacts;

namespace Sweeps.Grains.Workers;

/// <summary>
/// How this silo starts a trial worker: <c>dotnet Sweeps.Worker.dll</c> from the silo's own folder, run by the same .NET
/// host, pinned to its slot (a GPU slot's process sees only that GPU, as <c>cuda:0</c>; a CPU slot's sees none) with its
/// share of threads and memory.
/// </summary>
public sealed class WorkerLauncher
{
    public const string AssemblyName = "Sweeps.Worker.dll";

    /// <summary>The argument that names the silo process owning a worker (see <see cref="OrphanedWorkers"/>).</summary>
    public const string ParentArgument = "--parent";

    /// <summary>The argument that names the trial a worker runs (for <c>ps</c>; the worker reads its trial from its input).</summary>
    public const string TrialArgument = "--trial";

    private readonly WorkerSettings settings;

    /// <param name="slotCount">The silo's device slots, which share its cores and memory.</param>
    public WorkerLauncher(WorkerSettings settings, int slotCount)
    {
        this.settings = settings;
        slotCount = Math.Max(1, slotCount);
        Threads = settings.Threads > 0 ? settings.Threads : Math.Max(1, Environment.ProcessorCount / slotCount);
        DefaultMemoryCap = settings.Memory.Trim().ToLowerInvariant() switch
        {
            WorkerSettings.None => null,
            WorkerSettings.Auto => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / slotCount,
            _ => MemorySize.TryParse(settings.Memory),
        };
    }

    public WorkerSettings Settings => settings;

    /// <summary>libtorch threads each worker gets.</summary>
    public int Threads { get; }

    /// <summary>The cap of a worker whose grid names none; null: uncapped.</summary>
    public long? DefaultMemoryCap { get; }

    public static string WorkerAssembly => Path.Combine(AppContext.BaseDirectory, AssemblyName);

    /// <summary>What the engine inside a worker on this slot trains on: a pinned GPU is the only one it sees.</summary>
    public static string DeviceInWorker(string torchDevice) => VisibleDevice(torchDevice) is null ? torchDevice : "cuda:0";

    public ProcessStartInfo StartInfo(string torchDevice, string trialId)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerAssembly);
        start.ArgumentList.Add(ParentArgument);
        start.ArgumentList.Add(ProcessTag.OfThisProcess);
        start.ArgumentList.Add(TrialArgument);
        start.ArgumentList.Add(trialId);
        // A GPU slot's worker sees that device alone; a CPU slot's sees none, so it cannot take a GPU by accident.
        if (VisibleDevice(torchDevice) is { } index) start.Environment["CUDA_VISIBLE_DEVICES"] = index;
        else if (torchDevice == "cpu") start.Environment["CUDA_VISIBLE_DEVICES"] = "";
        start.Environment["OMP_NUM_THREADS"] = Threads.ToString();
        return start;
    }

    /// <summary>N for <c>cuda:N</c>; null for the CPU and for a bare <c>cuda</c> (which leaves the worker every device).</summary>
    private static string? VisibleDevice(string torchDevice) =>
        torchDevice.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase) ? torchDevice[5..] : null;

    /// <summary>
    /// The .NET host running this silo: itself when it is <c>dotnet</c>, else the one the SDK names, else the one beside
    /// the shared runtime this process runs on (an application host such as <c>sweep</c>).
    /// </summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } sdk && File.Exists(sdk)) return sdk;
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));
        var root = runtime.Parent?.Parent?.Parent?.FullName;
        var host = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return host is not null && File.Exists(host)
            ? host
            : throw new InvalidOperationException($"cannot start trial workers: no .NET host found beside the runtime in {runtime.FullName}");
    }
}
