using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Security;

namespace Sweeps.Hosting;

/// <summary>
/// The one-silo cluster `sweep` runs in its own process when no cluster is configured: localhost clustering, state in
/// SQLite under a folder, the devices of this machine, and whatever pool a grid asks for. Its trials run in worker
/// processes as a cluster's do, so the command's own process stays small however many trials it runs.
/// </summary>
public static class EmbeddedSilo
{
    /// <param name="threadsPerTrial">libtorch threads of each trial's worker; 0: the cores shared among the slots.</param>
    public static ISiloBuilder UseEmbeddedSweeps(this ISiloBuilder silo, string stateFolder, string artifactRoot, int cpuSlots, string? devices, int threadsPerTrial = 0)
    {
        var store = new StoreOptions { Kind = "embedded", SqlitePath = Path.Combine(stateFolder, "sweeps.db"), SiloPort = 0, GatewayPort = 0 };
        // Its only caller is the user running this process: sweeps are theirs, and no one else's call reaches it.
        silo.Services.AddSingleton(CallerAuthenticator.Local(Environment.UserName));
        return silo.UseSweepsStore(store).AddSweeps(o =>
        {
            o.Pool = SweepsOptions.AnyPool; // one node runs whatever pool a grid asks for
            o.ArtifactRoot = artifactRoot;
            o.CpuSlots = cpuSlots;
            o.Devices = devices;
            o.Worker.Threads = threadsPerTrial;
        });
    }
}
