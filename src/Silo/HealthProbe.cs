namespace Sweeps.Silo;

/// <summary>
/// <c>Sweeps.Silo probe [PATH]</c>: asks this container's silo for /healthz (or PATH) and exits 0 when it answers 200. The
/// images' HEALTHCHECK runs it, since the runtime images carry no curl or wget.
/// </summary>
public static class HealthProbe
{
    public const string Verb = "probe";

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/healthz";
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
            Console.WriteLine($"{path}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{path}: {e.Message}");
            return 1;
        }
    }
}
