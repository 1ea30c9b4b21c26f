using Sweeps.Pruning.Trials;
using Sweeps.SweepClient.Grids;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Grids;

/// <summary>
/// A trial's identity is what it trains on: folders resolved against the grid file to real paths, built-in names in
/// one spelling, and the contents of the model and data folders fingerprinted into the id.
/// </summary>
public sealed class TrialIdentityTests : IDisposable
{
    private readonly TemporaryFolder work = new("sweeps-identity-");
    private readonly InputFingerprints fingerprints;

    public TrialIdentityTests() => fingerprints = new InputFingerprints(Path.Combine(work.Path, "cache", InputFingerprints.CacheFileName));

    public void Dispose() => work.Dispose();

    private const string Body = "tasks:\n  - {name: sst2, data: sst2}\nmethods: smp-s\nkeep: 0.5\ntraining: {max_length: 32}\n";

    /// <summary>A folder holding a grid, a model folder ./m and data ./sst2.</summary>
    private string Project(string name, long modelSeed = 1, string model = "m", string data = "sst2")
    {
        var folder = Path.Combine(work.Path, name);
        using (var tiny = new TinyBert(seed: modelSeed)) CopyFolder(tiny.Directory, Path.Combine(folder, "m"));
        using (var scratch = new TemporaryFolder()) CopyFolder(TinyTasks.WriteSst2Folder(scratch), Path.Combine(folder, "sst2"));
        File.WriteAllText(Path.Combine(folder, "grid.yaml"), $"name: x\nmodel: {model}\n" + Body.Replace("data: sst2", $"data: {data}"));
        return Path.Combine(folder, "grid.yaml");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    private Sweeps.Grains.Interfaces.Sweeps.TrialSpec Single(string grid) => Assert.Single(GridFile.Load(grid, fingerprints: fingerprints).Trials);

    [Fact]
    public void RelativeModel_IsResolvedAgainstTheGridFile_NotTheWorkingFolder()
    {
        var grid = Project("a");
        var elsewhere = Directory.CreateDirectory(Path.Combine(work.Path, "elsewhere")).FullName;
        Directory.CreateDirectory(Path.Combine(elsewhere, "m")); // a different ./m where the command runs
        var before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(elsewhere);
        try
        {
            var trial = Single(grid);
            Assert.Equal(Path.Combine(Path.GetDirectoryName(grid)!, "m"), trial.Model);
            Assert.Equal(Path.Combine(Path.GetDirectoryName(grid)!, "sst2"), trial.Data);
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
    }

    [Fact]
    public void SameGridInTwoFolders_WithDifferentModels_HasDifferentIds_AndWithTheSameModels_TheSameInputs()
    {
        var first = Single(Project("a", modelSeed: 1));
        var otherModel = Single(Project("b", modelSeed: 2));
        var sameModel = Single(Project("c", modelSeed: 1));

        Assert.NotEqual(first.Id, otherModel.Id);
        Assert.NotEqual(first.Inputs, otherModel.Inputs);
        Assert.Equal(first.Inputs, sameModel.Inputs); // same contents; the ids still differ by path
    }

    [Fact]
    public void TrailingSeparatorsAndLinks_NameTheSameFolder_AndTheSameTrial()
    {
        var grid = Project("a");
        var folder = Path.GetDirectoryName(grid)!;
        Directory.CreateSymbolicLink(Path.Combine(folder, "sst2-link"), "sst2");
        var plain = Single(grid);
        File.WriteAllText(grid, "name: x\nmodel: m/\n" + Body.Replace("data: sst2", "data: ./sst2-link/"));

        var spelled = Single(grid);

        Assert.Equal(plain.Id, spelled.Id);
        Assert.Equal(Path.Combine(folder, "sst2"), spelled.Data);
    }

    [Fact]
    public void BuiltInModelName_InAnyCase_IsOneTrial()
    {
        var lower = GridFile.Load(work.Write("lower.yaml", "name: x\nmodel: minilm-l6-h384\ntasks: [spam-assassin]\nkeep: 0.5\n"), fingerprints: fingerprints);
        var upper = GridFile.Load(work.Write("upper.yaml", "name: x\nmodel: MINILM-L6-H384\ntasks: [spam-assassin]\nkeep: 0.5\n"), fingerprints: fingerprints);

        Assert.Equal("minilm-l6-h384", upper.Trials[0].Model);
        Assert.Equal(lower.Trials[0].Id, upper.Trials[0].Id);
        Assert.Null(upper.Trials[0].Inputs); // no folder read: the names are the identity, and ids stay what they were

    }

    [Fact]
    public void FolderWhoseContentsChanged_GetsNewTrialIds_EvenAtTheSameSize()
    {
        var grid = Project("a");
        var before = Single(grid);
        var train = Path.Combine(Path.GetDirectoryName(grid)!, "sst2", "train.tsv");
        var text = File.ReadAllText(train);
        File.WriteAllText(train, text.Replace("win free money now\t0", "win free money now\t1")); // same length
        File.SetLastWriteTimeUtc(train, File.GetLastWriteTimeUtc(train).AddSeconds(5));

        var after = Single(grid);

        Assert.NotEqual(before.Id, after.Id);
        Assert.Equal(after.Id, Single(grid).Id); // and stable from then on
    }

    [Fact]
    public void Fingerprints_AreKeptBetweenSubmits_ByPathSizeAndTime()
    {
        var grid = Project("a");
        var first = Single(grid);
        fingerprints.Save();
        var weights = Path.Combine(Path.GetDirectoryName(grid)!, "m", "model.safetensors");
        var written = File.GetLastWriteTimeUtc(weights);
        // Same size and time, other bytes: a cached digest is trusted (as make and rsync do), so the id does not move.
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        File.SetLastWriteTimeUtc(weights, written);

        var reloaded = new InputFingerprints(Path.Combine(work.Path, "cache", InputFingerprints.CacheFileName));
        Assert.Equal(first.Id, Assert.Single(GridFile.Load(grid, fingerprints: reloaded).Trials).Id);
        Assert.NotEqual(first.Id, Assert.Single(GridFile.Load(grid, fingerprints: new InputFingerprints()).Trials).Id);
    }
}
