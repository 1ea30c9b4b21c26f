using Mono.Unix.Native;

namespace Sweeps.Testing;

/// <summary>Files no input should ever be read from, made at run time: a FIFO with no writer, a device.</summary>
public static class SpecialFiles
{
    /// <summary>A character device that never ends and reports a length of 0.</summary>
    public const string EndlessDevice = "/dev/zero";

    /// <summary>Makes a FIFO at <paramref name="path"/>: opening it for reading blocks until a writer comes, which none does.</summary>
    public static string Fifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Syscall.mkfifo(path, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR) != 0)
            throw new IOException($"mkfifo {path}: {Stdlib.GetLastError()}");
        return path;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a worker and fails if it has not returned within <paramref name="seconds"/>: a read that
    /// blocks on a FIFO or streams a device fails the test instead of hanging the run.
    /// </summary>
    public static async Task<Exception?> ErrorWithin(Action read, int seconds = 30)
    {
        var work = Task.Run(read);
        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(seconds)));
        if (finished != work) throw new TimeoutException($"the read did not return within {seconds} s (blocked on a special file?)");
        return work.Exception?.GetBaseException();
    }
}
