using System.CommandLine;
using Spectre.Console;
using Sweeps.Pruning;
using Sweeps.Pruning.Export;
using Sweeps.SweepClient.Cluster;
using Sweeps.Web;

namespace Sweeps.SweepClient.Commands;

/// <summary>
/// `sweep ui`: the sweeps' web pages on loopback for the cluster the options name (the embedded one by default, which
/// then also runs its queued trials), until Ctrl-C. A cluster's silos serve the same pages on their own HTTP port.
/// </summary>
public static class UiCommand
{
    /// <summary>`--ui-port`: where `sweep ui` and `sweep submit --ui` serve the pages on 127.0.0.1.</summary>
    public static readonly Option<int> PortOption = Port();

    public static Command Create()
    {
        var command = new Command("ui", "Serve the sweeps' web pages on 127.0.0.1 (table, plot, live trials, each trial's curves) until Ctrl-C") { PortOption };
        ClusterCommand.SetAction(command, async (result, cluster, cancellation) =>
        {
            await using var pages = await StartAsync(cluster, ClusterSettings.From(result), result.GetValue(PortOption), cancellation);
            AnsiConsole.MarkupLineInterpolated($"serving the sweeps' pages at [link]{pages.Address}[/] (Ctrl-C to stop)");
            await WaitForStop(cancellation);
            return 0;
        });
        return command;
    }

    private static Option<int> Port()
    {
        var option = new Option<int>("--ui-port") { Description = "Port on 127.0.0.1 for the web pages (0: any free port)", DefaultValueFactory = _ => 8484 };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535) r.AddError($"--ui-port must be 0 to 65535, got {r.GetValueOrDefault<int>()}");
        });
        return option;
    }

    /// <summary>The pages for <paramref name="cluster"/>; a trial's files are shown where its artefact store is this machine's (embedded).</summary>
    public static Task<LoopbackPages> StartAsync(ClusterConnection cluster, ClusterSettings settings, int port, CancellationToken cancellation) =>
        LoopbackPages.StartAsync(cluster.Grains, settings.Embedded ? settings.ArtifactRoot : null, new EngineTrialExporter(SweepsCache.Default()), port, cancellation);

    public static async Task WaitForStop(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the pages stop, then the cluster connection (an embedded cluster checkpoints its running trials).
        }
    }
}
