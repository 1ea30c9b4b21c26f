using Microsoft.Extensions.Hosting;

namespace Sweeps.Grains.Metrics;

/// <summary>Creates the product's meter when the silo starts, so device-slot gauges are scraped before any grain asks for it.</summary>
public sealed class MetricsStartup(SweepsMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
