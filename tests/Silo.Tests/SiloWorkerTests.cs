using Mono.Unix.Native;
using Sweeps.Testing;
using Xunit.Abstractions;

namespace Sweeps.Silo.Tests;

/// <summary>
/// The silo executable and its trial workers as processes: over 30 tiny trials in a row the silo's resident memory stays
/// within a fixed bound and flat (each trial's memory goes with its worker), and a silo killed with SIGKILL takes its
/// running worker with it (the worker's parent-death signal).
/// </summary>
public sealed class SiloWorkerTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What the silo process may hold at most: ASP.NET Core, Orleans, its SQLite state, libtorch's code (loaded to find devices).</summary>
    private const long Bound = 512L << 20;

    /// <summary>How much more it may hold after the 30th trial than after the 10th (allocator noise, not growth per trial).</summary>
    private const long Drift = 48L << 20;

    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task ThirtyTrialsInARow_TheSilosResidentMemoryStaysBoundedAndFlat()
    {
        var (environment, gateway) = EmbeddedSilo();
        using var silo = SiloProcess.Start(environment);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{environment["ASPNETCORE_HTTP_PORTS"]}") };
        await silo.WaitUntilReadyAsync(client);
        var store = environment["Sweeps__ArtifactRoot"];

        await using var memory = new ResidentMemory(silo.Id, () => Results(store));
        var (submitted, text) = await SweepCli.RunAsync(["submit", Grid("thirty", epochs: 2, seeds: 15, methods: "[smp-s, dense]"), "--gateway", gateway, "--watch"]);
        output.WriteLine($"resident memory by trials done: {memory.Describe()}");
        Assert.True(submitted == 0, text + silo.Output);
        Assert.Equal(30, Results(store));

        Assert.True(memory.Peak <= Bound, $"peak {memory.Peak >> 20} MiB, bound {Bound >> 20} MiB");
        var afterTen = memory.PeakWhile(10, 12);
        var afterThirty = memory.PeakWhile(28, 30);
        Assert.True(afterThirty - afterTen <= Drift, $"{afterTen >> 20} MiB after 10 trials, {afterThirty >> 20} MiB after 30");
    }

    [Fact]
    public async Task SiloKilled_ItsRunningWorkerEndsWithIt()
    {
        var (environment, gateway) = EmbeddedSilo();
        using var silo = SiloProcess.Start(environment);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{environment["ASPNETCORE_HTTP_PORTS"]}") };
        await silo.WaitUntilReadyAsync(client);
        var (submitted, text) = await SweepCli.RunAsync(["submit", Grid("long", epochs: 300, seeds: 1, methods: "[smp-s]"), "--gateway", gateway]);
        Assert.True(submitted == 0, text);

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int[] workers;
        while ((workers = WorkerProcesses.Of(silo.Id)).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no worker started:\n" + silo.Output);
            await Task.Delay(100);
        }
        Assert.Equal(0, Syscall.kill(silo.Id, Signum.SIGKILL));
        Assert.NotNull(await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!workers.All(WorkerProcesses.HasExited))
        {
            Assert.True(DateTime.UtcNow < deadline, $"worker {string.Join(", ", workers)} outlived its silo");
            await Task.Delay(100);
        }
    }

    /// <summary>A silo on the embedded store (as a workstation runs one) with one CPU slot, on free ports; returns its environment and gateway.</summary>
    private (Dictionary<string, string> Environment, string Gateway) EmbeddedSilo()
    {
        var gateway = FreePorts.Next();
        return (new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = FreePorts.Next().ToString(),
            ["Sweeps__Store__Kind"] = "embedded",
            ["Sweeps__Store__SqlitePath"] = Path.Combine(work.Path, "sweeps.db"),
            ["Sweeps__Store__SiloPort"] = FreePorts.Next().ToString(),
            ["Sweeps__Store__GatewayPort"] = gateway.ToString(),
            ["Sweeps__ArtifactRoot"] = Path.Combine(work.Path, "store"),
            ["Sweeps__Kubernetes"] = "false",
            ["Sweeps__CpuSlots"] = "1",
            ["Sweeps__Worker__Threads"] = "1",
            ["SWEEPS_CACHE"] = Path.Combine(work.Path, "cache"),
        }, $"127.0.0.1:{gateway}");
    }

    private string Grid(string name, int epochs, int seeds, string methods)
    {
        TinyTasks.WriteSst2Folder(work, repeats: 2);
        return work.Write($"{name}.yaml", $"""
            name: {name}
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: {Path.Combine(work.Path, "sst2")}
            methods: {methods}
            keep: [0.5]
            seeds: [{string.Join(", ", Enumerable.Range(1, seeds))}]
            training:
              epochs: {epochs}
              batch_size: 8
              max_length: 16
            """);
    }

    private static int Results(string store) =>
        Directory.Exists(store) ? Directory.GetFiles(store, "result.json", SearchOption.AllDirectories).Length : 0;
}
