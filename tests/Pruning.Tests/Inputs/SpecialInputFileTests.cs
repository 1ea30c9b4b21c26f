using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Inputs;

/// <summary>
/// Every loader of the engine meets a FIFO, a device, a folder and an oversized file with a located error, at once:
/// nothing blocks on a FIFO and nothing streams a device into memory.
/// </summary>
public sealed class SpecialInputFileTests : IDisposable
{
    private readonly TemporaryFolder work = new("sweeps-special-");

    public void Dispose() => work.Dispose();

    public static TheoryData<string> Loaders => ["config.json", "vocab.txt", "train.tsv", "squad.json", "model.safetensors"];

    private static void Load(string loader, string path)
    {
        switch (loader)
        {
            case "config.json": BertConfig.Load(path); break;
            case "vocab.txt": BertTextEncoder.FromVocabulary(path, lowerCase: true); break;
            case "train.tsv": TsvTaskReader.ReadSplit(GlueFormats.Sst2, path); break;
            case "squad.json": Sweeps.Pruning.Squad.SquadFile.Load(path); break;
            default: Sweeps.Pruning.Checkpoints.SafetensorsFile.Open(path).Dispose(); break;
        }
    }

    [Theory]
    [MemberData(nameof(Loaders))]
    public async Task Fifo_IsRefusedWithoutOpeningIt(string loader)
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(work.Path, loader));

        var error = await SpecialFiles.ErrorWithin(() => Load(loader, fifo));

        var refused = Assert.IsType<InputFileException>(error);
        Assert.Contains("a FIFO", refused.Message);
        Assert.StartsWith(fifo, refused.Message);
    }

    [Theory]
    [MemberData(nameof(Loaders))]
    public async Task Device_IsRefusedWithoutReadingIt(string loader)
    {
        var error = await SpecialFiles.ErrorWithin(() => Load(loader, SpecialFiles.EndlessDevice));

        Assert.Contains("a device", Assert.IsType<InputFileException>(error).Message);
    }

    [Fact]
    public async Task LinkToADevice_IsADevice()
    {
        var link = Path.Combine(work.Path, "train.tsv");
        File.CreateSymbolicLink(link, SpecialFiles.EndlessDevice);

        var error = await SpecialFiles.ErrorWithin(() => Load("train.tsv", link));

        Assert.Contains("a device", Assert.IsType<InputFileException>(error).Message);
    }

    [Fact]
    public void ReadPastTheCap_FailsWhileReading_NamingTheFile()
    {
        var path = work.Write("big.json", new string(' ', 5000));

        var error = Assert.Throws<InputFileException>(() => InputFile.ReadAllText(path, 4096, "a small file"));

        Assert.Equal(path, error.Path);
        Assert.Contains("4,096", error.Message);
        Assert.Equal(5000, InputFile.ReadAllText(path, 5000, "a small file").Length);
    }

    [Fact]
    public void EmptyVocabulary_NamesTheFile()
    {
        var path = work.Write("vocab.txt", "");

        var error = Assert.Throws<ModelFormatException>(() => BertTextEncoder.FromVocabulary(path, lowerCase: true));

        Assert.StartsWith(path, error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Folder_WhereAFileIsExpected_SaysItIsAFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(work.Path, "config.json")).FullName;

        var error = Assert.Throws<InputFileException>(() => InputFile.RequireRegular(folder, "a model's config.json"));

        Assert.Contains("is a folder", error.Message);
    }
}
