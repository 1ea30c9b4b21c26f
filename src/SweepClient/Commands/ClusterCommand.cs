using System.CommandLine;
using Sweeps.SweepClient.Cluster;

namespace Sweeps.SweepClient.Commands;

/// <summary>Runs a command's body against the cluster the options name (embedded or Redis), with user errors turned into exit code 2.</summary>
public static class ClusterCommand
{
    public static void SetAction(Command command, Func<ParseResult, ClusterConnection, CancellationToken, Task<int>> body)
    {
        ClusterSettings.AddTo(command);
        command.SetAction((result, cancellation) => UserErrors.Guard(async () =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(ClusterSettings.From(result), cancellation);
            return await body(result, cluster, cancellation);
        }));
    }
}
