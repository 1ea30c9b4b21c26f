namespace Sweeps.Worker.Protocol;

/// <summary>What the worker runs with, as it sees it: the silo logs it, and tests read it.</summary>
/// <param name="VisibleDevices">Its <c>CUDA_VISIBLE_DEVICES</c> (null when unset).</param>
/// <param name="Device">The device it trains on (cuda:0 for a pinned GPU, or cpu).</param>
public sealed record WorkerReady(int ProcessId, string? VisibleDevices, string Device, int Threads, long? MemoryCapBytes);
