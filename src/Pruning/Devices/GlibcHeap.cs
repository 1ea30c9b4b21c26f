using System.Runtime.InteropServices;

namespace Sweeps.Pruning.Devices;

/// <summary>glibc's heap, where libtorch's CPU tensors live: hands freed heap pages back to the system.</summary>
public static partial class GlibcHeap
{
    private static int unavailable;

    /// <summary>
    /// Returns the heap's free pages (in every arena) to the system; false off Linux or without glibc (e.g. musl),
    /// where there is nothing to do.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref unavailable) == 1) return false;
        try
        {
            _ = malloc_trim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref unavailable, 1);
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
