using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>The `sweep` client is killed while it watches a sweep on a Redis cluster: the sweep runs on to the end regardless.</summary>
public sealed class ClientKillTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task ClientKilledWhileWatching_TheSweepFinishesWithoutIt()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        using var redis = new RedisServer();
        TinyTasks.WriteSst2Folder(work, repeats: 10);
        var grid = work.Write("grid.yaml", $"""
            name: watched
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s]
            keep: [0.5, 0.3]
            seeds: [1, 2]
            training:
              epochs: 20
              batch_size: 8
              max_length: 16
            resources:
              pool: cpu
            """);
        var silo = SiloHost.Build(RedisSiloArguments.For(redis, Path.Combine(work.Path, "artifacts")));
        await silo.StartAsync();
        var grains = silo.Services.GetRequiredService<IGrainFactory>();

        using (var client = Process.Start(SweepCli.StartInfo(["submit", grid, "--watch", "--cluster", redis.ConnectionString]))!)
        {
            client.OutputDataReceived += (_, _) => { };
            client.ErrorDataReceived += (_, _) => { };
            client.BeginOutputReadLine();
            client.BeginErrorReadLine();
            var sweepId = await WaitForRunningSweep(grains, client);
            client.Kill(entireProcessTree: true);
            await client.WaitForExitAsync();

            var status = await WaitUntilFinished(grains, sweepId);
            Assert.Equal(4, status.Count(TrialState.Done));
            // No slot stays leased (the last trial frees its slot right after its report).
            var slots = silo.Services.GetRequiredService<Sweeps.Grains.Devices.DeviceSlotManager>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (slots.Busy > 0 || (await grains.GetGrain<ICapacityGrain>(0).GetUsage()).Any(u => u.Busy > 0))
            {
                Assert.True(DateTime.UtcNow < deadline, "a slot stayed leased after the sweep finished");
                await Task.Delay(100);
            }
        }
        var (exitCode, output) = await SweepCli.RunAsync("list", "--cluster", redis.ConnectionString);
        Assert.True(exitCode == 0, output);
        Assert.Contains("watched-", output);
        await silo.StopAsync();
        await silo.DisposeAsync();
    }

    private static async Task<string> WaitForRunningSweep(IGrainFactory grains, Process client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var sweeps = await grains.GetGrain<ISweepCatalogGrain>(0).List();
            if (sweeps.Count == 1 && (await grains.GetGrain<ISweepGrain>(sweeps[0].SweepId).GetStatus())!.Count(TrialState.Running) == 1)
                return sweeps[0].SweepId;
            Assert.False(client.HasExited, "the client ended before the sweep ran");
            Assert.True(DateTime.UtcNow < deadline, "no trial of the submitted sweep started");
            await Task.Delay(100);
        }
    }

    private static async Task<SweepStatus> WaitUntilFinished(IGrainFactory grains, string sweepId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var status = (await grains.GetGrain<ISweepGrain>(sweepId).GetStatus())!;
            if (status.IsFinished) return status;
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not finish after its client was killed");
            await Task.Delay(200);
        }
    }
}
