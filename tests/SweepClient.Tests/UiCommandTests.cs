using System.Diagnostics;
using System.Text.RegularExpressions;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>`sweep ui` on the embedded cluster: the pages on loopback, at the address it prints.</summary>
public sealed partial class UiCommandTests : IDisposable
{
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Ui_EmbeddedCluster_ServesThePagesAtThePrintedAddress()
    {
        using var ui = Process.Start(SweepCli.StartInfo(["ui", "--ui-port", "0", "--state", Path.Combine(work.Path, "state"), "--artifacts", Path.Combine(work.Path, "store")]))!;
        try
        {
            var address = await AddressPrinted(ui);
            using var http = new HttpClient();

            var list = await http.GetStringAsync(address);
            var css = await http.GetAsync(new Uri(address, "/sweeps/assets/sweeps.css"));

            Assert.StartsWith("http://127.0.0.1:", address.ToString());
            Assert.Contains("<h1>Sweeps</h1>", list);
            Assert.Contains("No sweeps yet", list);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            ui.Kill(entireProcessTree: true);
            await ui.WaitForExitAsync();
        }
    }

    private static async Task<Uri> AddressPrinted(Process ui)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await ui.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            if (Address().Match(line) is { Success: true } match) return new Uri(match.Value);
        throw new InvalidOperationException($"`sweep ui` ended without printing an address: {await ui.StandardError.ReadToEndAsync()}");
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/sweeps")]
    private static partial Regex Address();
}
