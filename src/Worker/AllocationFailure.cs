namespace Sweeps.Worker;

/// <summary>Whether an error is an allocation that failed, as .NET and libtorch say it (host memory or a device's).</summary>
public static class AllocationFailure
{
    // libtorch's CPU allocator ("DefaultCPUAllocator: can't allocate memory: you tried to allocate …"), its CUDA caching
    // allocator ("CUDA out of memory. Tried to allocate …"), and C++'s own failure as TorchSharp passes it on.
    private static readonly string[] Markers = ["can't allocate memory", "out of memory", "std::bad_alloc", "Cannot allocate memory"];

    public static bool Is(Exception error) => error switch
    {
        OutOfMemoryException or InsufficientMemoryException => true,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Is(aggregate.InnerExceptions[0]),
        _ => Markers.Any(m => error.Message.Contains(m, StringComparison.OrdinalIgnoreCase)) || (error.InnerException is { } inner && Is(inner)),
    };
}
