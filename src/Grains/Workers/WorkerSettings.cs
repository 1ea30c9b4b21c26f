namespace Sweeps.Grains.Workers;

/// <summary>
/// How this silo runs trial workers (<c>Sweeps:Worker:*</c>, e.g. <c>Sweeps__Worker__Memory=6Gi</c>): each trial attempt
/// is a process of its own, capped, watched and stopped by these settings.
/// </summary>
public sealed class WorkerSettings
{
    public const string Auto = "auto";
    public const string None = "none";

    /// <summary>
    /// The memory cap of a worker when its grid names none (<c>resources.memory</c>): a size (<c>6Gi</c>), <c>auto</c> (the
    /// memory this silo may use — its container's limit, else the machine's — shared evenly among its slots), or
    /// <c>none</c>. The operating system enforces it (RLIMIT_DATA): an allocation past it fails and ends only that attempt.
    /// </summary>
    public string Memory { get; set; } = Auto;

    /// <summary>A worker that reports nothing for this long (no step, no evaluation batch, no message) is killed as hung.</summary>
    public TimeSpan HangTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a worker asked to stop may take to write its checkpoint before it is killed.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>libtorch's CPU threads per worker; 0: this machine's cores shared evenly among the silo's slots.</summary>
    public int Threads { get; set; }
}
