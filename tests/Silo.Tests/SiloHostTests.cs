using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Sweeps.Silo.Tests;

public sealed class SiloHostTests : IAsyncLifetime
{
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        app = SiloHost.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Healthz_RunningSilo_AnswersOk() =>
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));

    [Fact]
    public async Task Devices_MachineWithoutGpu_AdvertisesOneCpuSlot()
    {
        var devices = await client.GetFromJsonAsync<string[]>("/devices");
        Assert.NotNull(devices);
        Assert.NotEmpty(devices);
        Assert.True(devices.All(d => d == "cpu" || d.StartsWith("cuda:", StringComparison.Ordinal)));
    }
}
