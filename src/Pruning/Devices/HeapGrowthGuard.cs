namespace Sweeps.Pruning.Devices;

/// <summary>
/// Keeps a long training run's resident memory bounded on glibc. libtorch allocates large temporaries of varying sizes
/// every step (activations, top-k results); glibc serves them from a heap that fragments, and without help a trial's
/// resident set can grow every step (measured up to 42 MiB per SMP-S step on MiniLM). Trimming the heap after every
/// step keeps it flat but makes the next step fault all its pages in again, which on some virtual machines doubles the
/// step time; forcing every large block through mmap costs the same faults on every allocation. So the guard trims
/// only when the resident set has grown half again past what the run's first step needed.
/// </summary>
public sealed class HeapGrowthGuard
{
    private const double Headroom = 1.5;
    private readonly Func<long> residentBytes;
    private readonly Func<bool> trim;
    private long limit;
    private bool trimmedAfterLastStep;

    public HeapGrowthGuard() : this(() => Environment.WorkingSet, GlibcHeap.Trim) { }

    /// <summary>For tests: where the resident size comes from and what a trim does.</summary>
    public HeapGrowthGuard(Func<long> residentBytes, Func<bool> trim)
    {
        this.residentBytes = residentBytes;
        this.trim = trim;
    }

    /// <summary>Call after each training step, once its tensors are released.</summary>
    public void AfterStep()
    {
        var resident = residentBytes();
        if (limit == 0 || (trimmedAfterLastStep && resident > limit))
        {
            // The first step sets the bar; a step that climbs past it right after a trim needs that much memory.
            limit = (long)(resident * Headroom);
            trimmedAfterLastStep = false;
            return;
        }
        trimmedAfterLastStep = false;
        if (resident <= limit) return;
        if (trim()) trimmedAfterLastStep = true;
        else limit = (long)(resident * Headroom); // no glibc to trim: just raise the bar
    }
}
