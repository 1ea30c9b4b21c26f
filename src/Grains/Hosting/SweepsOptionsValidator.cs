using Microsoft.Extensions.Options;
using Sweeps.Artifacts;
using Sweeps.Grains.Workers;
using Sweeps.Pruning.Devices;

namespace Sweeps.Grains.Hosting;

/// <summary>
/// Checks <c>Sweeps:*</c> when the silo starts: a malformed device list or a non-positive interval stops the silo with
/// a message naming the setting, instead of a silo that runs wrongly.
/// </summary>
public sealed class SweepsOptionsValidator : IValidateOptions<SweepsOptions>
{
    public ValidateOptionsResult Validate(string? name, SweepsOptions options)
    {
        var problems = new List<string>();
        void Check(bool ok, string setting, string expected)
        {
            if (!ok) problems.Add($"{SweepsOptions.Section}:{setting}: expected {expected}");
        }

        Check(!string.IsNullOrWhiteSpace(options.Pool), nameof(options.Pool), "a pool name (or * for any)");
        Check(options.CpuSlots is >= 0 and <= 1024, nameof(options.CpuSlots), "0 to 1024 trial slots");
        Check(options.CheckpointEverySteps >= 0, nameof(options.CheckpointEverySteps), "a non-negative number of steps (0: only when stopped)");
        foreach (var (setting, value) in new[]
                 {
                     (nameof(options.HeartbeatInterval), options.HeartbeatInterval), (nameof(options.HeartbeatTimeout), options.HeartbeatTimeout),
                     (nameof(options.SweepCheckInterval), options.SweepCheckInterval), (nameof(options.CapacityReportInterval), options.CapacityReportInterval),
                 })
            Check(value > TimeSpan.Zero, setting, "a positive time span, e.g. 00:00:02");
        Check(options.RetryBackoff >= TimeSpan.Zero, nameof(options.RetryBackoff), "a non-negative time span");
        var worker = options.Worker;
        Check(worker.Memory.Trim().ToLowerInvariant() is WorkerSettings.Auto or WorkerSettings.None || MemorySize.TryParse(worker.Memory) is not null,
            "Worker:Memory", $"auto, none or {MemorySize.Expected}, got '{worker.Memory}'");
        Check(worker.HangTimeout > TimeSpan.Zero, "Worker:HangTimeout", "a positive time span, e.g. 00:10:00");
        Check(worker.StopGrace > TimeSpan.Zero, "Worker:StopGrace", "a positive time span, e.g. 00:00:30");
        Check(worker.Threads is >= 0 and <= 1024, "Worker:Threads", "0 (the cores shared among the slots) to 1024 threads");
        Check(options.HeartbeatTimeout > options.HeartbeatInterval, nameof(options.HeartbeatTimeout), $"longer than {nameof(options.HeartbeatInterval)} ({options.HeartbeatInterval})");
        for (var i = 0; i < options.Admins.Length; i++)
            Check(IsDistinguishedName(options.Admins[i]), $"{nameof(options.Admins)}:{i}", $"a certificate subject such as CN=ops,O=ml, got '{options.Admins[i]}'");
        foreach (var device in (options.Devices ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                TorchDevices.Parse(device);
            }
            catch (ArgumentException e)
            {
                problems.Add($"{SweepsOptions.Section}:{nameof(options.Devices)}: {e.Message.Split(" (Parameter")[0]}");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsDistinguishedName(string subject)
    {
        try
        {
            return subject.Contains('=') && new System.Security.Cryptography.X509Certificates.X500DistinguishedName(subject).Name.Length > 0;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
