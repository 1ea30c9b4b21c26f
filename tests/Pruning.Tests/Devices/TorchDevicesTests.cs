using Sweeps.Pruning.Devices;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Devices;

public sealed class TorchDevicesTests
{
    [Fact]
    public void Parse_Cpu_ReturnsCpuAndTorchRunsAMatmulThere()
    {
        var device = TorchDevices.Parse("cpu");
        using var a = ones(4, 3, device: device);
        using var b = ones(3, 2, device: device);
        using var product = a.matmul(b);
        Assert.Equal(3f, product[0, 0].item<float>());
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:-1")]
    public void Parse_Malformed_ErrorSaysWhatIsExpected(string spec)
    {
        var error = Assert.Throws<ArgumentException>(() => TorchDevices.Parse(spec));
        Assert.Contains(spec, error.Message);
        Assert.Contains("cuda", error.Message);
    }

    [Fact]
    public void Parse_CudaDeviceBeyondThoseDiscovered_ErrorNamesTheDevice()
    {
        var beyond = $"cuda:{TorchDevices.Discover().Count(d => d.StartsWith("cuda", StringComparison.Ordinal))}";
        var error = Assert.Throws<ArgumentException>(() => TorchDevices.Parse(beyond));
        Assert.Contains(beyond, error.Message);
    }
}
