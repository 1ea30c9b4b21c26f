using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;

namespace Sweeps.Web;

/// <summary>
/// The sweeps' web pages on an HTTP port, read-only (GET and HEAD; nothing there changes state): <c>/sweeps</c>,
/// <c>/sweeps/{id}</c> with its plot, <c>/sweeps/{id}/trials/{trial}</c> with its curves. Every page updates itself
/// through server-sent events from its own address. Everything is served from here: no CDN, no script build.
/// </summary>
public static class SweepPages
{
    private static readonly HttpMethodMetadata ReadOnly = new(["GET", "HEAD"]);

    /// <param name="artifactRoot">
    /// The artefact store, for a trial's files and its recorded loss curve (null where it is not visible); asked for at
    /// each request, so that a host's options are read once it runs, where they are validated.
    /// </param>
    public static IEndpointRouteBuilder MapSweepPages(this IEndpointRouteBuilder app, Func<string?> artifactRoot)
    {
        var summaries = new SharedReads<SweepProgress?>(TimeSpan.FromSeconds(1), TimeProvider.System);
        var trials = new SharedReads<TrialListing?>(TimeSpan.FromSeconds(1), TimeProvider.System);
        var results = new SharedReads<SweepResults?>(TimeSpan.FromSeconds(1), TimeProvider.System);
        // The sweep's page reads its summary, its cells and two pages of trials (the running ones, and the page asked
        // for), never the whole sweep: the same cost at 100,000 trials as at 10.
        async Task<SweepView?> View(HttpContext context)
        {
            var sweepId = (string)context.Request.RouteValues["sweep"]!;
            var sweep = Grains(context).GetGrain<ISweepGrain>(sweepId);
            var page = SweepView.PageAsked(context.Request.Query["page"]);
            var summary = summaries.GetAsync(sweepId, sweep.GetProgress);
            var cells = Results(context);
            var running = trials.GetAsync($"{sweepId}?running", () => sweep.GetTrials(new TrialQuery(0, SweepView.PageSize, [TrialState.Running])));
            var listed = trials.GetAsync($"{sweepId}?page={page}", () => sweep.GetTrials(new TrialQuery((page - 1) * SweepView.PageSize, SweepView.PageSize)));
            return await summary is { } known && await running is { } runningPage && await listed is { } trialsPage
                ? new SweepView(known, await cells, runningPage, trialsPage, page)
                : null;
        }
        // The figure reads the cells the sweep keeps as results arrive, never its trials.
        Task<SweepResults?> Results(HttpContext context)
        {
            var sweepId = (string)context.Request.RouteValues["sweep"]!;
            return results.GetAsync(sweepId, () => Grains(context).GetGrain<ISweepGrain>(sweepId).GetResults());
        }
        // A trial's pages read the sweep's summary and that one trial, never the whole sweep.
        async Task<(SweepProgress Sweep, TrialStatus Trial)?> Trial(HttpContext context)
        {
            var (sweepId, trialId) = ((string)context.Request.RouteValues["sweep"]!, (string)context.Request.RouteValues["trial"]!);
            var sweep = Grains(context).GetGrain<ISweepGrain>(sweepId);
            var summary = await summaries.GetAsync(sweepId, sweep.GetProgress);
            var page = await trials.GetAsync($"{sweepId}/{trialId}", () => sweep.GetTrials(TrialQuery.ById(trialId)));
            return summary is not null && page is { Trials: [var trial] } ? (summary, trial) : null;
        }

        Map(app, "/", context =>
        {
            context.Response.Redirect("/sweeps");
            return Task.CompletedTask;
        });
        Map(app, "/sweeps", context => Serve(context, async () => await SweepListPage.RenderAsync(Grains(context))));
        Map(app, "/sweeps/{sweep}", context => Serve(context, async () =>
            await View(context) is { } view ? SweepPage.Render(view) : null));
        Map(app, "/sweeps/{sweep}/trials/{trial}", context => Serve(context, async () =>
            await Trial(context) is var (sweep, trial)
                ? TrialPage.Render(sweep, await LiveTrace.WithTraceAsync(Grains(context), trial), TrialFiles.Read(artifactRoot(), trial.Spec.Id))
                : null));
        Map(app, "/sweeps/{sweep}/plot.svg", async context =>
        {
            if (await Results(context) is not { } cells) { context.Response.StatusCode = 404; return; }
            var panels = SweepFigure.Panels(cells);
            await Svg(context, panels.Count > 0 ? FigureFile.Svg(panels) : null);
        });
        Map(app, "/sweeps/{sweep}/pareto.svg", async context =>
        {
            if (await Results(context) is not { } cells) { context.Response.StatusCode = 404; return; }
            var panels = ParetoPlot.Panels(cells.Cells);
            await Svg(context, panels.Count > 0 ? FigureFile.Svg(panels) : null);
        });
        Map(app, "/sweeps/{sweep}/search.svg", async context =>
        {
            if (await Results(context) is not { } cells) { context.Response.StatusCode = 404; return; }
            var panels = SearchFigure.Panels(cells);
            await Svg(context, panels.Count > 0 ? FigureFile.Svg(panels) : null);
        });
        Map(app, "/sweeps/{sweep}/trials/{trial}/curves.svg", async context =>
        {
            if (await Trial(context) is not var (_, trial)) { context.Response.StatusCode = 404; return; }
            var result = TrialFiles.Read(artifactRoot(), trial.Spec.Id)?.Result;
            var panels = TrialCurves.Panels(TrialFiles.TraceOf(await LiveTrace.WithTraceAsync(Grains(context), trial), result), trial.Curve, trial.Outcome?.BestStep);
            await Svg(context, panels.Count > 0 ? FigureFile.Svg(panels, TrialCurves.PanelHeight) : null);
        });
        Map(app, "/sweeps/{sweep}/trials/{trial}/export/{format}.zip", async context =>
        {
            if (await Trial(context) is not var (sweep, trial)) { context.Response.StatusCode = 404; return; }
            await TrialExportDownload.SendAsync(context, sweep.SweepId, trial, artifactRoot());
        });
        Map(app, "/sweeps/assets/{name}", Asset);
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string pattern, RequestDelegate handler) =>
        app.MapMethods(pattern, ["GET", "HEAD"], handler).WithMetadata(ReadOnly);

    private static IGrainFactory Grains(HttpContext context) => context.RequestServices.GetRequiredService<IGrainFactory>();

    /// <summary>The page, or its live updates for an EventSource; a sweep or trial that is not there is a 404 page.</summary>
    private static async Task Serve(HttpContext context, Func<Task<Page?>> render)
    {
        if (LiveStream.Wanted(context.Request))
        {
            await LiveStream.RunAsync(context, render);
            return;
        }
        var page = await render();
        context.Response.ContentType = "text/html; charset=utf-8";
        if (page is null)
        {
            context.Response.StatusCode = 404;
            page = new Page("Not found", [("sweeps", "/sweeps")], [new PageSection("missing", "Nothing here",
                $"<p>No such sweep or trial in this cluster: <code>{Html.E(context.Request.Path)}</code>. <a href=\"/sweeps\">Every sweep</a>.</p>")]);
        }
        await context.Response.WriteAsync(Html.Document(page));
    }

    private static async Task Svg(HttpContext context, byte[]? svg)
    {
        if (svg is null) { context.Response.StatusCode = 404; return; }
        context.Response.ContentType = "image/svg+xml";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(svg);
    }

    /// <summary>The style sheet and the live-update script, compiled into this assembly.</summary>
    private static async Task Asset(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => null };
        await using var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream(name);
        if (stream is null) { context.Response.StatusCode = 404; return; }
        context.Response.ContentType = type!;
        await stream.CopyToAsync(context.Response.Body);
    }
}
