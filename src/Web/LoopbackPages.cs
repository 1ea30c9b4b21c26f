using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sweeps.Artifacts;

namespace Sweeps.Web;

/// <summary>
/// The pages served from a process that is not a silo host — `sweep ui` and `sweep submit --ui` on the embedded
/// cluster — on loopback only: the same pages a silo serves, for the cluster <paramref name="grains"/> reaches.
/// </summary>
public sealed class LoopbackPages(WebApplication app, Uri address) : IAsyncDisposable
{
    /// <summary>Where the pages are: http://127.0.0.1:PORT/sweeps.</summary>
    public Uri Address { get; } = address;

    /// <param name="exporter">What makes a trial's export download (the engine's, which the pages do not load themselves).</param>
    /// <param name="port">0 for any free port.</param>
    public static async Task<LoopbackPages> StartAsync(IGrainFactory grains, string? artifactRoot, ITrialExporter exporter, int port, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(grains);
        builder.Services.AddSingleton(exporter);
        var app = builder.Build();
        app.MapSweepPages(() => artifactRoot);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new ArgumentException($"--ui-port {port}: cannot serve the pages there ({e.GetBaseException().Message}); give another port, or 0 for any free one");
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackPages(app, new Uri(new Uri(bound), "/sweeps"));
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }
}
