using Sweeps.Pruning.Devices;

namespace Sweeps.Silo;

/// <summary>Builds the silo's ASP.NET Core host: health and device endpoints (the Orleans silo joins it with the cluster work).</summary>
public static class SiloHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        var devices = TorchDevices.Discover();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/devices", () => Results.Json(devices));
        return app;
    }
}
