using Sweeps.Pruning.Trials;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Inputs;

public sealed class InputRootsTests
{
    private readonly InputRoots roots = InputRoots.Parse("/inputs, /shared/teachers/");

    [Theory]
    [InlineData("/inputs", true)]
    [InlineData("/inputs/glue/SST-2", true)]
    [InlineData("/shared/teachers/t1", true)]
    [InlineData("/inputs/../etc/passwd", false)]
    [InlineData("/inputs-other/x", false)]
    [InlineData("/home/me/glue", false)]
    public void Contains_ResolvesDotDotAndComparesWholeFolderNames(string path, bool inside) =>
        Assert.Equal(inside, roots.Contains(path));

    [Fact]
    public void Violations_NameEachFolderOutside_ButNotBuiltInModels()
    {
        Assert.Empty(roots.Violations("minilm-l6-h384", "/inputs/sst2", null));
        Assert.Equal(["model folder '/home/me/bert' is outside the allowed roots (/inputs, /shared/teachers)", "data folder '/tmp/sst2' is outside the allowed roots (/inputs, /shared/teachers)"],
            roots.Violations("/home/me/bert", "/tmp/sst2", null));
    }

    [Fact]
    public void Contains_FollowsSymbolicLinks_SoALinkInsideARootCannotLeadOutOfIt()
    {
        using var work = new TemporaryFolder();
        var root = Directory.CreateDirectory(Path.Combine(work.Path, "inputs")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(work.Path, "secret")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "glue"));
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
        Directory.CreateSymbolicLink(Path.Combine(root, "relative"), "../secret");
        Directory.CreateSymbolicLink(Path.Combine(root, "inner"), "glue");
        var allowed = InputRoots.Parse(root);

        Assert.False(allowed.Contains(Path.Combine(root, "escape")));
        Assert.False(allowed.Contains(Path.Combine(root, "escape", "train.tsv")));
        Assert.False(allowed.Contains(Path.Combine(root, "relative")));
        Assert.False(allowed.Contains(Path.Combine(root, "inner", "..", "..", "secret")));
        Assert.True(allowed.Contains(Path.Combine(root, "inner")));
        Assert.True(allowed.Contains(Path.Combine(root, "glue", "SST-2")));
    }

    [Fact]
    public void NoRoots_AllowsAnything() => Assert.True(InputRoots.Parse("").Contains("/anywhere"));
}
