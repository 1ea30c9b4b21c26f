using Orleans.Concurrency;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces;

/// <summary>
/// One sweep (key: its id, <see cref="SweepIds.Of"/>): stores the spec and every trial's state durably, queues
/// trials, dispatches them to free device slots, and collects their results.
/// </summary>
[Alias("sweeps.sweep")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep, owned by the caller, and answers its summary (counts: how many trials reuse stored results);
    /// submitting the same spec again answers the existing sweep's.
    /// A cluster with TLS needs <paramref name="caller"/> (for <see cref="CallerProof.Actions.Submit"/>) and throws
    /// <see cref="SweepAccessDeniedException"/> without a valid one.
    /// </summary>
    [Alias("Submit")]
    Task<SweepProgress> Submit(SweepSpec spec, CallerProof? caller = null);

    /// <summary>
    /// The sweep's status, or null when no sweep has this id. Reads interleave with the sweep's other work: they are
    /// answered while a write or a dispatch is awaited, from the state as it stands between two steps, never queued
    /// behind them.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetStatus")]
    Task<SweepStatus?> GetStatus();

    /// <summary>
    /// The sweep's summary: counts by state, the running trials (without their curves) and the first failures; cheap
    /// for sweeps of any size, and answered beside the sweep's other work like <see cref="GetStatus"/>. Null when no
    /// sweep has this id.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetProgress")]
    Task<SweepProgress?> GetProgress();

    /// <summary>
    /// A page of the sweep's trials, each with its curve and attempts, in grid order (see <see cref="TrialQuery"/>);
    /// answered beside the sweep's other work. Null when no sweep has this id.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetTrials")]
    Task<TrialListing?> GetTrials(TrialQuery query);

    /// <summary>
    /// The sweep's result cells under <paramref name="select"/> (null: the grid's), from the results it keeps as they
    /// arrive: what the results table and the plot need, without the trials; answered beside the sweep's other work.
    /// Null when no sweep has this id.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetResults")]
    Task<SweepResults?> GetResults(MetricSelection? select = null);

    /// <summary>
    /// Stops every running trial (each checkpoints and frees its slot) and marks unfinished trials cancelled. Allowed
    /// to the sweep's owner and to <c>Sweeps:Admins</c>; anyone else gets <see cref="SweepAccessDeniedException"/> saying who may.
    /// </summary>
    [Alias("Cancel")]
    Task Cancel(CallerProof? caller = null);

    /// <summary>
    /// A silo's heartbeat: the sweep's trials alive there and their progress, one call per silo and interval. The reply
    /// names the trials the sweep no longer holds on that silo (re-queued after their heartbeats stopped arriving, or
    /// running elsewhere), so a copy cut off from the sweep stops instead of racing the one that took over.
    /// </summary>
    [Alias("Heartbeat")]
    Task<HeartbeatReply> Heartbeat(SiloHeartbeat beat);

    /// <summary>A trial finished with a result (recorded once; repeats are ignored).</summary>
    [Alias("ReportFinished")]
    Task ReportFinished(string trialId, TrialOutcome outcome);

    /// <summary>
    /// A trial attempt failed, crashed, ran out of memory or hung; the sweep retries it with back-off up to its limit.
    /// A report of an attempt older than the sweep's newest for the trial is ignored.
    /// </summary>
    [Alias("ReportFailed")]
    Task ReportFailed(string trialId, int attempt, string reason, AttemptFault fault);

    /// <summary>
    /// A trial attempt stopped before finishing (its silo is shutting down, or it was cancelled); it is re-queued unless
    /// the sweep was cancelled. A report of an attempt older than the sweep's newest for the trial is ignored.
    /// </summary>
    [Alias("ReportInterrupted")]
    Task ReportInterrupted(string trialId, int attempt);
}
