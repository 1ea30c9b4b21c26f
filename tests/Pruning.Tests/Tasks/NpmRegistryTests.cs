using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Tests.Tasks;

/// <summary>The npm registry comes from the user's configuration: the environment first, then npm itself; never a built-in host.</summary>
public sealed class NpmRegistryTests
{
    [Fact]
    public void Resolve_RegistryInTheEnvironment_IsUsedWithoutAskingNpm()
    {
        var asked = false;

        var registry = NpmRegistry.Resolve("http://127.0.0.1:4873", () => { asked = true; return null; });

        Assert.Equal("http://127.0.0.1:4873/", registry);
        Assert.False(asked);
    }

    [Fact]
    public void Resolve_NothingInTheEnvironment_TakesNpmsConfiguredRegistry()
    {
        Assert.Equal("https://npm.internal.example/repository/npm/", NpmRegistry.Resolve(null, () => "https://npm.internal.example/repository/npm\n"));
    }

    [Fact]
    public void Resolve_NoConfigurationAndNoNpm_SaysWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NpmRegistry.Resolve("", () => null));

        Assert.Contains("npm_config_registry", error.Message);
    }

    [Fact]
    public void Resolve_NotAnHttpUrl_IsRefusedWithTheValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NpmRegistry.Resolve("file:///etc/passwd", () => null));

        Assert.Contains("file:///etc/passwd", error.Message);
    }
}
