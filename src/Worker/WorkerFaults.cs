using System.Runtime.InteropServices;
using TorchSharp;

namespace Sweeps.Worker;

/// <summary>
/// Faults a test can make a worker meet, named in the silo's environment (never in a grid):
/// <c>SWEEPS_WORKER_FAULTS=&lt;trial id&gt;=&lt;fault&gt;@&lt;step&gt;;…</c>, where a fault is <c>abort</c> (SIGABRT in native
/// code), <c>segv</c> (a write to address 0 in native code), <c>hang</c> (the training thread blocks for good) or
/// <c>allocate</c> (tensors allocated until an allocation fails), met once the trial reports that training step. Only
/// the named trial's worker meets it, and only on the trial's first attempt, so the retry runs clean.
/// </summary>
public sealed partial class WorkerFaults
{
    public const string EnvironmentVariable = "SWEEPS_WORKER_FAULTS";

    private readonly string fault;
    private readonly int step;

    private WorkerFaults(string fault, int step)
    {
        this.fault = fault;
        this.step = step;
    }

    /// <summary>The fault planned for this trial's attempt, or null (nearly always).</summary>
    public static WorkerFaults? For(string trialId, int attempt)
    {
        var planned = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(planned) || attempt != 1) return null;
        foreach (var entry in planned.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', '@');
            if (parts.Length == 3 && parts[0] == trialId && int.TryParse(parts[2], out var step)) return new WorkerFaults(parts[1], step);
        }
        return null;
    }

    /// <summary>Called on the training thread with each step reported; meets the fault at its step.</summary>
    public void AtStep(int reached)
    {
        if (reached < step) return;
        Console.Error.WriteLine($"worker: meeting the planned fault '{fault}' at step {reached}");
        switch (fault)
        {
            case "abort":
                abort();
                break;
            case "segv":
                memset(0, 1, 8);
                break;
            case "hang":
                Thread.Sleep(Timeout.Infinite);
                break;
            case "allocate":
                Allocate();
                break;
            default:
                throw new InvalidOperationException($"{EnvironmentVariable}: unknown fault '{fault}' (abort, segv, hang or allocate)");
        }
    }

    // Untouched tensors: they count against an address-space cap without taking the machine's memory if no cap holds.
    private static void Allocate()
    {
        const long chunk = 256L << 20;
        var held = new List<torch.Tensor>();
        for (var i = 0; i < 64; i++) held.Add(torch.empty(chunk / sizeof(float), torch.ScalarType.Float32));
        throw new InvalidOperationException($"allocated {held.Count * chunk >> 30} GiB without meeting a memory cap");
    }

    [LibraryImport("libc")]
    private static partial void abort();

    [LibraryImport("libc")]
    private static partial nint memset(nint destination, int value, nuint count);
}
