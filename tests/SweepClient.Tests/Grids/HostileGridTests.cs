using Sweeps.SweepClient.Grids;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Grids;

/// <summary>
/// Grids and input folders made to hurt: special files, links out of the folder, values that slip past loose checks.
/// Each is refused with a located error, at once, before anything is written.
/// </summary>
public sealed class HostileGridTests : IDisposable
{
    private readonly TemporaryFolder work = new("sweeps-hostile-");

    public void Dispose() => work.Dispose();

    private static async Task<GridValidationException> Refused(string grid, GridLimits? limits = null)
    {
        var error = await SpecialFiles.ErrorWithin(() => GridFile.Load(grid, limits));
        return Assert.IsType<GridValidationException>(error);
    }

    [Fact]
    public async Task GridThatIsAFifo_IsRefusedWithoutBlocking()
    {
        var refused = await Refused(SpecialFiles.Fifo(Path.Combine(work.Path, "grid.yaml")));

        Assert.Contains("a FIFO", Assert.Single(refused.Errors).Message);
    }

    [Fact]
    public async Task GridThatIsADevice_IsRefusedWithoutReadingIt()
    {
        var refused = await Refused(SpecialFiles.EndlessDevice);

        Assert.Contains("a device", Assert.Single(refused.Errors).Message);
    }

    [Fact]
    public async Task GridThatIsALinkToADevice_IsRefused()
    {
        var link = Path.Combine(work.Path, "grid.yaml");
        File.CreateSymbolicLink(link, SpecialFiles.EndlessDevice);

        Assert.Contains("a device", Assert.Single((await Refused(link)).Errors).Message);
    }

    [Fact]
    public async Task GridWithANulByte_IsRefused()
    {
        var grid = work.Write("grid.yaml", "name: x\ntasks: [spam-assassin]\nkeep: 0.5\0\n");

        Assert.Contains("NUL", Assert.Single((await Refused(grid)).Errors).Message);
    }

    [Fact]
    public async Task DataFolderHoldingAFifo_IsRefusedAtSubmit_NamingTheFifo()
    {
        var data = Directory.CreateDirectory(Path.Combine(work.Path, "sst2")).FullName;
        File.WriteAllText(Path.Combine(data, "dev.tsv"), "sentence\tlabel\nok\t1\n");
        var fifo = SpecialFiles.Fifo(Path.Combine(data, "train.tsv"));
        var grid = work.Write("grid.yaml", "name: x\ntasks:\n  - {name: sst2, data: sst2}\nkeep: 0.5\n");

        var refused = await Refused(grid);

        var error = Assert.Single(refused.Errors);
        Assert.Contains(fifo, error.Message);
        Assert.Contains("a FIFO", error.Message);
    }
}
