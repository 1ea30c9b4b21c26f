using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sweeps.Grains.Workers;

/// <summary>
/// Workers whose silo is gone. A worker dies with its silo (a parent-death signal, and end of input on its pipe), but a
/// worker the signal could not reach at once (blocked in the kernel or a driver) may outlive it; a silo that starts
/// looks for workers whose <c>--parent</c> names a process that no longer runs, and kills them, so they free their
/// device and memory before this silo leases them again.
/// </summary>
public sealed class OrphanedWorkers(ILogger<OrphanedWorkers> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (processId, parent) in Find())
        {
            logger.LogWarning("Ending trial worker {Worker}: the silo that started it ({Parent}) is gone", processId, parent);
            try
            {
                using var orphan = Process.GetProcessById(processId);
                orphan.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended meanwhile, or belongs to another user.
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every worker process on this machine whose owning silo no longer runs, with that silo's tag.</summary>
    public static IReadOnlyList<(int ProcessId, string Parent)> Find()
    {
        var found = new List<(int, string)>();
        if (!Directory.Exists("/proc")) return found;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var processId)) continue;
            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var worker = Array.FindIndex(arguments, a => Path.GetFileName(a) == WorkerLauncher.AssemblyName);
            var parentAt = Array.IndexOf(arguments, WorkerLauncher.ParentArgument);
            if (worker < 0 || parentAt < 0 || parentAt + 1 >= arguments.Length) continue;
            var parent = arguments[parentAt + 1];
            if (!ProcessTag.IsAlive(parent)) found.Add((processId, parent));
        }
        return found;
    }
}
