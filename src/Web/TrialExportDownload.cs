using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Web;

/// <summary>
/// <c>/sweeps/{id}/trials/{trial}/export/{hf|onnx}.zip</c>: a finished trial exported (as <c>sweep export</c> does) into a
/// temporary folder, sent as one zip file, and deleted. Nothing in the artefact store changes. The export is the
/// host's <see cref="ITrialExporter"/> (the engine's): the pages load no engine of their own.
/// </summary>
public static class TrialExportDownload
{
    /// <summary>One export at a time on this host: each holds a model and its exported weights in memory, and a page's viewers must not multiply that.</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The download's address for a trial, or null where the trial has no result to export.</summary>
    public static string? Href(string trialHref, TrialStatus trial, ExportFormat format) =>
        trial.State.HasResult() ? $"{trialHref}/export/{format.ToName()}.zip" : null;

    public static async Task SendAsync(HttpContext context, string sweepId, TrialStatus trial, string? artifactRoot)
    {
        ExportFormat format;
        try
        {
            format = ExportFormatNames.Parse((string)context.Request.RouteValues["format"]!);
        }
        catch (ArgumentException)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var exporter = context.RequestServices.GetService<ITrialExporter>();
        if (artifactRoot is null || exporter is null || !trial.State.HasResult())
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await OneAtATime.WaitAsync(context.RequestAborted);
        var work = Directory.CreateTempSubdirectory("sweeps-export-");
        try
        {
            var folder = Path.Combine(work.FullName, trial.Spec.Id);
            var command = $"download from the sweep's page: {context.Request.Path}";
            // Exporting reads a model and writes its weights: off the request thread, and once per download.
            await Task.Run(() => exporter.Export(new TrialArtifactStore(artifactRoot), trial.Spec.Id, folder, format, sweepId, command), context.RequestAborted);
            var zip = Path.Combine(work.FullName, "export.zip");
            ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
            context.Response.ContentType = "application/zip";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{trial.Spec.Id}-{format.ToName()}.zip\"";
            await context.Response.SendFileAsync(zip, context.RequestAborted);
        }
        catch (TrialNotExportableException e)
        {
            // The trial's artefact cannot be exported here (gone, or its base model is not on this host): say why.
            context.Response.StatusCode = StatusCodes.Status409Conflict;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(e.Message);
        }
        finally
        {
            work.Delete(recursive: true);
            OneAtATime.Release();
        }
    }
}
