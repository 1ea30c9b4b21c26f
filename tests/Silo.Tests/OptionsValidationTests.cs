using Microsoft.Extensions.Options;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>A silo given a setting out of range stops at start with a message naming the setting, instead of running wrongly.</summary>
public sealed class OptionsValidationTests : IDisposable
{
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    private string[] Arguments(params string[] extra) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--Sweeps:Store:SqlitePath", Path.Combine(work.Path, "sweeps.db"),
        "--Sweeps:Store:SiloPort", "0",
        "--Sweeps:Store:GatewayPort", "0",
        "--Sweeps:ArtifactRoot", Path.Combine(work.Path, "artifacts"),
        .. extra,
    ];

    [Theory]
    [InlineData("Sweeps:Store:Kind", "rediss")]
    [InlineData("Sweeps:Store:GatewayPort", "70000")]
    [InlineData("Sweeps:ShutdownTimeout", "-00:00:05")]
    [InlineData("Sweeps:ShutdownTimeout", "soon")]
    [InlineData("Sweeps:Dashboard", "yes")]
    [InlineData("Sweeps:Kubernetes", "maybe")]
    public void SettingReadWhileBuilding_StopsTheSilo_NamingIt(string setting, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => SiloHost.Build(Arguments("--" + setting, value)));

        Assert.Contains(setting, error.Message);
    }

    [Theory]
    [InlineData("Sweeps:Devices", "gpu0")]
    [InlineData("Sweeps:HeartbeatInterval", "-00:00:01")]
    [InlineData("Sweeps:CpuSlots", "-1")]
    [InlineData("Sweeps:CheckpointEverySteps", "-5")]
    public async Task SweepsSetting_IsValidatedAtStart_NamingIt(string setting, string value)
    {
        await using var silo = SiloHost.Build(Arguments("--" + setting, value));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains(setting, error.Message);
    }
}
