namespace Sweeps.Pruning.Devices;

/// <summary>
/// Keeps a long training run's resident memory bounded on glibc. libtorch allocates large temporaries of varying sizes
/// every step (activations, top-k results); glibc keeps what they free for the next step, and a heap that fragments can
/// grow without bound (an unguarded run has been measured growing 42 MiB a step). Trimming the heap (malloc_trim) gives
/// the free part back, but the next step faults all its pages in again, which on some virtual machines doubles the
/// step time. So the guard trims only past a bar, half again above what the run has shown it needs: first what its
/// first step needed; then, when the memory is back past the bar within a few steps of a trim, what it holds then —
/// that is the run's working set with glibc's free blocks (in a fresh process about twice the first step's), and
/// trimming it again would only buy faults. Growth past that bar is still trimmed.
/// </summary>
public sealed class HeapGrowthGuard
{
    private const double Headroom = 1.5;

    /// <summary>Steps after a trim within which memory back past the bar counts as the run's need, not growth.</summary>
    public const int SettleSteps = 16;

    private readonly Func<long> residentBytes;
    private readonly Func<bool> trim;
    private long limit;
    private int step;
    private int? lastTrimStep;

    public HeapGrowthGuard() : this(() => Environment.WorkingSet, GlibcHeap.Trim) { }

    /// <summary>For tests: where the resident size comes from and what a trim does.</summary>
    public HeapGrowthGuard(Func<long> residentBytes, Func<bool> trim)
    {
        this.residentBytes = residentBytes;
        this.trim = trim;
    }

    /// <summary>The resident size past which the next step trims (0 before the first step).</summary>
    public long Limit => limit;

    /// <summary>Call after each training step, once its tensors are released.</summary>
    public void AfterStep()
    {
        step++;
        var resident = residentBytes();
        if (limit == 0)
        {
            limit = (long)(resident * Headroom);
            return;
        }
        if (resident <= limit) return;
        if (lastTrimStep is { } trimmed && step - trimmed <= SettleSteps)
        {
            // Back past the bar soon after a trim: this is what the run needs.
            limit = (long)(resident * Headroom);
            lastTrimStep = null;
            return;
        }
        if (trim()) lastTrimStep = step;
        else limit = (long)(resident * Headroom); // no glibc to trim: just raise the bar
    }
}
