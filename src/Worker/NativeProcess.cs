using System.Runtime.InteropServices;

namespace Sweeps.Worker;

/// <summary>The few Linux calls a worker makes on itself: die with its parent, cap its memory, read its footprint.</summary>
public static partial class NativeProcess
{
    private const int PrSetParentDeathSignal = 1;
    private const int SigKill = 9;
    private const int RlimitData = 2;

    /// <summary>
    /// SIGKILL this process when the thread that started it exits (the silo starts each worker from a thread that lives
    /// as long as the worker, so this means: when the silo dies, however it dies). False off Linux.
    /// </summary>
    public static bool DieWithParent() => OperatingSystem.IsLinux() && prctl(PrSetParentDeathSignal, SigKill, 0, 0, 0) == 0;

    /// <summary>
    /// Caps the private writable memory this process may map (RLIMIT_DATA: the heap, anonymous mappings, thread stacks;
    /// not reserved address space, not shared files). An allocation past it fails as an out-of-memory error.
    /// </summary>
    public static void CapData(long bytes)
    {
        var limit = new ResourceLimit { Current = (ulong)bytes, Maximum = (ulong)bytes };
        if (setrlimit(RlimitData, ref limit) != 0)
            throw new InvalidOperationException($"setrlimit(RLIMIT_DATA, {bytes}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>A field of /proc/self/status in bytes (VmRSS, VmHWM, VmData), or null where there is no /proc.</summary>
    public static long? StatusBytes(string field, int processId = 0)
    {
        var path = processId == 0 ? "/proc/self/status" : $"/proc/{processId}/status";
        try
        {
            foreach (var line in File.ReadLines(path))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException)
        {
        }
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, ref ResourceLimit limit);
}
