using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Interfaces;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>The silo host as deployed, on the embedded store in a temporary folder: endpoints and a live Orleans silo.</summary>
public sealed class SiloHostTests : IAsyncLifetime
{
    private readonly TemporaryFolder folder = new();
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = SiloHost.Build([
            "--urls", "http://127.0.0.1:0",
            "--Sweeps:Store:SqlitePath", Path.Combine(folder.Path, "sweeps.db"),
            "--Sweeps:Store:SiloPort", "0",
            "--Sweeps:Store:GatewayPort", "0",
            "--Sweeps:ArtifactRoot", Path.Combine(folder.Path, "artifacts"),
            "--Sweeps:Pool", "cpu-test",
            "--Sweeps:CpuSlots", "3",
        ]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Healthz_RunningSilo_AnswersOk() =>
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));

    [Fact]
    public async Task Devices_ConfiguredCpuSlots_AdvertisesThemInItsPool()
    {
        var devices = await client.GetFromJsonAsync<DevicesReply>("/devices");

        Assert.NotNull(devices);
        Assert.Equal("cpu-test", devices.Pool);
        Assert.True(devices.Slots.SequenceEqual(["cpu:0", "cpu:1", "cpu:2"]) || devices.Slots.All(s => s.StartsWith("cuda:", StringComparison.Ordinal)));
        Assert.Equal(0, devices.Busy);
    }

    [Fact]
    public async Task Silo_Started_ReportsItsSlotsToTheClusterCapacityView()
    {
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<Sweeps.Grains.Interfaces.Cluster.SlotUsage> usage;
        do
        {
            usage = await grains.GetGrain<ICapacityGrain>(0).GetUsage();
            if (usage.Count > 0) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);

        var silo = Assert.Single(usage);
        Assert.Equal("cpu-test", silo.Pool);
        Assert.Equal(0, silo.Busy);
    }

    [Fact]
    public async Task Readyz_JoinedSiloWithReachableStorage_IsHealthy() =>
        Assert.Equal("Healthy", await client.GetStringAsync("/readyz"));

    [Fact]
    public async Task Dashboard_OffByDefault_NotServed() =>
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/dashboard")).StatusCode);

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/devices")]
    [InlineData("/metrics")]
    public async Task Endpoints_AreReadOnly_AnythingButGetIsRefused(string path)
    {
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent("{}") });
            Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
        Assert.True((await client.GetAsync(path)).IsSuccessStatusCode);
    }

    [Fact]
    public void EveryMappedEndpoint_AcceptsOnlyGetOrHead()
    {
        // State changes go through the Orleans gateway (sweeps, cancels), never through the silo's HTTP port.
        var endpoints = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;
        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e =>
        {
            var methods = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
            Assert.True(methods is not null && methods.All(m => m is "GET" or "HEAD"), $"{e.DisplayName} accepts {string.Join(",", methods ?? ["any method"])}");
        });
    }

    private sealed record DevicesReply(string Pool, string[] Slots, int Busy);
}
