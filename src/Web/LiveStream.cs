using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sweeps.Web;

/// <summary>
/// A page's live updates as server-sent events: the page is rendered again every <see cref="Interval"/>, and the
/// sections whose HTML changed go to the browser as one JSON object (element id → inner HTML). A cluster that cannot
/// be reached is said as a <c>problem</c> event, and the stream goes on trying.
/// </summary>
public static class LiveStream
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>EventSource asks for text/event-stream: the same address gives the page or its updates.</summary>
    public static bool Wanted(HttpRequest request) => request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.Ordinal) == true);

    public static async Task RunAsync(HttpContext context, Func<Task<Page?>> render)
    {
        // Ends with the request or with the host: an open stream must not hold a stopping silo up.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancel = ended.Token;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var sent = new Dictionary<string, string>();
        var lastWrite = DateTime.UtcNow;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                string? message;
                try
                {
                    var page = await render();
                    if (page is null) message = $"event: problem\ndata: {JsonSerializer.Serialize("it is no longer in the cluster")}\n\n";
                    else
                    {
                        var changed = page.Sections.Where(s => sent.GetValueOrDefault(s.Id) != s.Content).ToDictionary(s => s.Id, s => s.Content);
                        foreach (var (id, content) in changed) sent[id] = content;
                        message = changed.Count > 0 ? $"data: {JsonSerializer.Serialize(changed)}\n\n"
                            : DateTime.UtcNow - lastWrite > KeepAlive ? ": still here\n\n" : null;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    message = $"event: problem\ndata: {JsonSerializer.Serialize(e.GetBaseException().Message)}\n\n";
                }
                if (message is not null)
                {
                    await context.Response.WriteAsync(message, cancel);
                    await context.Response.Body.FlushAsync(cancel);
                    lastWrite = DateTime.UtcNow;
                }
                await Task.Delay(Interval, cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The browser left, or the host is stopping.
        }
    }
}
