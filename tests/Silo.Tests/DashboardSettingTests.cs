using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

public sealed class DashboardSettingTests
{
    [Fact]
    public async Task Dashboard_TurnedOnBySetting_ServesTheOrleansDashboard()
    {
        using var folder = new TemporaryFolder();
        var app = SiloHost.Build([
            "--urls", "http://127.0.0.1:0",
            "--Sweeps:Store:SqlitePath", Path.Combine(folder.Path, "sweeps.db"),
            "--Sweeps:Store:SiloPort", "0",
            "--Sweeps:Store:GatewayPort", "0",
            "--Sweeps:ArtifactRoot", Path.Combine(folder.Path, "artifacts"),
            "--Sweeps:Dashboard", "true",
        ]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            var response = await client.GetAsync("/dashboard/");

            Assert.True(response.IsSuccessStatusCode, $"/dashboard/ answered {(int)response.StatusCode}");
            Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
