using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using Orleans.Dashboard;
using Sweeps.Grains.Devices;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Metrics;
using Sweeps.Hosting;
using Sweeps.Pruning.Training;
using Sweeps.Web;

namespace Sweeps.Silo;

/// <summary>
/// Builds the silo's ASP.NET Core host: the Orleans silo (store chosen by <c>Sweeps:Store:*</c>, devices and pool by
/// <c>Sweeps:*</c>, TLS by <c>Sweeps:Tls:*</c>, from appsettings, environment variables such as <c>Sweeps__Store__Kind=redis</c>, or the command line;
/// the host's own settings by <see cref="SiloHostOptions"/>)
/// and its HTTP endpoints: /healthz (live), /readyz (joined and storage reachable), /devices, /metrics (Prometheus), and
/// the sweeps' pages under /sweeps.
/// </summary>
public static class SiloHost
{
    private static readonly HttpMethodMetadata ReadOnly = new(["GET", "HEAD"]);

    /// <summary>Orleans' <see cref="ClusterMembershipOptions"/>, bound from here.</summary>
    public const string MembershipSection = "Sweeps:Membership";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var store = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        var host = SiloHostOptions.From(builder.Configuration);
        var tls = TlsSettings.From(builder.Configuration).LoadForSilo(store.IsRedis);
        store.Validate();
        SiloStartChecks.Run(store, tls, builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        builder.UseOrleans(silo =>
        {
            silo.UseSweepsStore(store, tls).AddSweeps();
            // How fast a silo that stops answering is declared dead (Orleans' failure detector), under Orleans' own names:
            // Sweeps:Membership:ProbeTimeout, NumMissedProbesLimit, NumVotesForDeathDeclaration (docs/reliability.md).
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(MembershipSection));
            if (host.Dashboard) silo.AddDashboard();
            // In a pod: silo name = pod name, and silos whose pods are gone are declared dead at once (needs the RBAC in deploy/k8s).
            if (host.UsesKubernetes) silo.UseKubernetesHosting();
        });
        // A stopping silo checkpoints its running trials and hands them back before it exits; this bounds how long that may take.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = host.ShutdownTimeout);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SweepsMetrics.MeterName, TrainingMeter.MeterName, "Microsoft.Orleans")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks().AddCheck<SiloReadiness>("silo", tags: ["ready"]);

        var app = builder.Build();
        // Validated now rather than when the host starts, where the host would log a failed start with its stack trace
        // before the one line that names the setting (Program).
        _ = app.Services.GetRequiredService<IOptions<SweepsOptions>>().Value;
        // Read-only, every one: state changes (submit, cancel) go through the Orleans gateway, never this port.
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).WithMetadata(ReadOnly);
        app.MapGet("/devices", (DeviceSlotManager slots) => Results.Json(new { pool = slots.Pool, slots = slots.Slots, busy = slots.Busy }));
        app.MapPrometheusScrapingEndpoint().WithMetadata(ReadOnly);
        if (host.Dashboard) app.MapOrleansDashboard("/dashboard");
        app.MapSweepPages(() => app.Services.GetRequiredService<IOptions<SweepsOptions>>().Value.ArtifactRoot);
        return app;
    }
}
