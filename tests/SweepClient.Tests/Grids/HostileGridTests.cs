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

    private const string Base = "name: x\ntasks: [spam-assassin]\nkeep: 0.5\n";

    public static TheoryData<string, string, string> HostileValues => new()
    {
        // yaml, the key the error names, a fragment of the message
        { Base + "training: {epochs: 1e300}\n", "training.epochs", "at most 1000" },
        { Base + "training: {batch_size: 2147483647}\n", "training.batch_size", "at most 4096" },
        { Base + "training: {head_lr: 1e300}\n", "training.head_lr", "at most 1000000" },
        { Base + "training: {prune_steps: 1e12}\n", "training.prune_steps", "at most 100000000" },
        { Base + "training: {max_length: 1000}\n", "training.max_length", "the model's 512 positions" },
        { Base + "distillation: {temperature: 1e9}\n", "distillation.temperature", "at most 100" },
        { Base + "distillation: {alpha_kd: 1e300}\n", "distillation.alpha_kd", "at most 100" },
        { Base + "resources: {devices_per_trial: 16}\n", "resources.devices_per_trial", "one device" },
        { Base + "max_concurrent_trials: 2000000000\n", "max_concurrent_trials", "at most 100000" },
        { "name: null\ntasks: [spam-assassin]\nkeep: 0.5\n", "name", "non-empty string" },
        { "name: ~\ntasks: [spam-assassin]\nkeep: 0.5\n", "name", "non-empty string" },
        { "name: \"x\\n\"\ntasks: [spam-assassin]\nkeep: 0.5\n", "value", "control character" },
        { "name: x\ntasks: [spam-assassin]\nkeep: 0.5\nresources: {pool: \"\\e[2J\\e[H\"}\n", "value", "'\\u001b[2J\\u001b[H'" },
        { "name: !!python/object/apply:os.system [\"true\"]\ntasks: [spam-assassin]\nkeep: 0.5\n", "tag:yaml.org,2002:python/object/apply:os.system", "tags are not allowed" },
        { "name: x\ntasks: [spam-assassin]\nkeep: !custom 0.5\n", "!custom", "tags are not allowed" },
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task HostileValue_IsRefused_NamingTheKey(string yaml, string key, string fragment)
    {
        var refused = await Refused(work.Write($"{Guid.NewGuid():N}.yaml", yaml));

        Assert.Contains(refused.Errors, e => e.Key == key && e.Message.Contains(fragment));
    }

    [Fact]
    public void NameThatEndsInANewline_IsNotAValidName() =>
        Assert.False(SweepName.IsValid("x\n"));

    [Fact]
    public async Task HugeValue_IsEchoedCutShort()
    {
        var refused = await Refused(work.Write("grid.yaml", $"name: x\ntasks: [spam-assassin]\nkeep: {new string('9', 900_000)}x\n"));

        var error = Assert.Single(refused.Errors);
        Assert.True(error.ToString().Length < 400, $"{error.ToString().Length} characters echoed");
        Assert.Contains("900,001 characters", error.Message);
    }

    [Fact]
    public async Task HugeName_IsEchoedCutShort()
    {
        var refused = await Refused(work.Write("grid.yaml", $"name: {new string('a', 900_000)}\ntasks: [spam-assassin]\nkeep: 0.5\n"));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("name", error.Key);
        Assert.True(error.ToString().Length < 400, $"{error.ToString().Length} characters echoed");
    }

    [Fact]
    public async Task TrialLimit_CountsTheDenseTeachersAddedForDistillation()
    {
        // Two seeds, with and without KD: 4 combinations, 6 trials with the two teachers.
        var grid = work.Write("grid.yaml", Base + "seeds: [1, 2]\ndistillation: [off, teacher]\n");

        var refused = await Refused(grid, new GridLimits(MaxTrials: 5));

        Assert.Contains("plans 6 trials", Assert.Single(refused.Errors).Message);
        Assert.Equal(6, GridFile.Load(grid, new GridLimits(MaxTrials: 6)).Trials.Count);
    }
}
