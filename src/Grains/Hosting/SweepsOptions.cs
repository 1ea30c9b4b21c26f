using Sweeps.Grains.Workers;

namespace Sweeps.Grains.Hosting;

/// <summary>The silo's <c>Sweeps:*</c> settings (configuration file or environment, e.g. <c>Sweeps__Pool=gpu-h100</c>).</summary>
public sealed class SweepsOptions
{
    public const string Section = "Sweeps";

    /// <summary>The pool this silo's devices belong to; a grid's <c>resources.pool</c> must match it (<c>*</c>: any pool, as the embedded cluster does).</summary>
    public string Pool { get; set; } = "default";

    public const string AnyPool = "*";

    /// <summary>Devices to lease, comma-separated (cuda:0,cuda:1); empty: every CUDA device, or CPU slots where there is none.</summary>
    public string? Devices { get; set; }

    /// <summary>Trial slots on a silo without a GPU (each runs one trial on the CPU).</summary>
    public int CpuSlots { get; set; } = 1;

    /// <summary>The artefact store: checkpoints, masks and results of every trial (a shared volume in a cluster).</summary>
    public string ArtifactRoot { get; set; } = "";

    /// <summary>
    /// Comma-separated folders that trials may read models, data and teachers from (a cluster's input volume); the
    /// artefact store is always allowed. Empty: any folder, as on a workstation.
    /// </summary>
    public string InputRoots { get; set; } = "";

    /// <summary>A running trial writes a checkpoint every this many steps (0: only when stopped).</summary>
    public int CheckpointEverySteps { get; set; } = 50;

    /// <summary>How often a running trial reports progress (its heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A running trial silent for this long is presumed lost with its silo and is re-queued.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a sweep checks for stalled trials, due retries and free slots.</summary>
    public TimeSpan SweepCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a silo reports its slots to the capacity view.</summary>
    public TimeSpan CapacityReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Certificate subjects (<c>CN=ops,O=ml</c>) that may cancel any sweep on a cluster with TLS; everyone else only
    /// their own (<c>Sweeps__Admins__0=CN=ops</c> in the environment).
    /// </summary>
    public string[] Admins { get; set; } = [];

    /// <summary>First retry delay after a failed attempt; doubles with each further failure, up to 5 minutes.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How trial attempts run in worker processes: memory cap, hang timeout, stop grace, threads (<c>Sweeps:Worker:*</c>).</summary>
    public WorkerSettings Worker { get; set; } = new();
}
