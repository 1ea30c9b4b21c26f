using Sweeps.Grains.Devices;
using Sweeps.Grains.Hosting;

namespace Sweeps.Silo;

/// <summary>
/// Builds the silo's ASP.NET Core host: the Orleans silo (store chosen by <c>Sweeps:Store:*</c>, devices and pool by
/// <c>Sweeps:*</c>, from appsettings, environment variables such as <c>Sweeps__Store__Kind=redis</c>, or the command line)
/// and its HTTP endpoints.
/// </summary>
public static class SiloHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var store = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        builder.UseOrleans(silo => silo.UseSweepsStore(store).AddSweeps());
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/devices", (DeviceSlotManager slots) => Results.Json(new { pool = slots.Pool, slots = slots.Slots, busy = slots.Busy }));
        return app;
    }
}
