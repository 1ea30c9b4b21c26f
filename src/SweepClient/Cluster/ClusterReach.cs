using Spectre.Console;
using Sweeps.SweepClient.Commands;

namespace Sweeps.SweepClient.Cluster;

/// <summary>
/// A watcher's calls to the cluster that outlast a lost connection: a call that times out or finds no gateway is
/// retried on the next refresh, with a line saying since when the cluster has not answered; after
/// <see cref="GiveUpAfter"/> of silence the watcher says it lost the cluster and stops (the sweep runs on regardless).
/// </summary>
public sealed class ClusterReach(string sweepId)
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    private DateTime? silentSince;

    /// <summary>The call's answer, or null while the cluster does not answer; throws <see cref="UserInputException"/> once it has been silent too long.</summary>
    public async Task<T?> AskAsync<T>(Func<Task<T>> call) where T : class?
    {
        try
        {
            var answer = await call();
            if (silentSince is { } since) AnsiConsole.MarkupLineInterpolated($"[green]the cluster answers again[/] (silent for {(DateTime.UtcNow - since).TotalSeconds:0} s)");
            silentSince = null;
            return answer;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            if (silentSince is null)
            {
                silentSince = DateTime.UtcNow;
                AnsiConsole.MarkupLineInterpolated($"[yellow]the cluster does not answer[/] ({e.GetType().Name}); retrying until it does, for up to {GiveUpAfter.TotalMinutes:0} minutes");
            }
            if (DateTime.UtcNow - silentSince > GiveUpAfter)
                throw new UserInputException(
                    $"lost the cluster: no answer since {silentSince:HH:mm:ss} UTC ({e.GetBaseException().Message}); the sweep is not affected: `sweep watch {sweepId}` follows it again");
            return null;
        }
    }
}
