using System.Text.RegularExpressions;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// deploy/docker read as Docker would: pinned bases new enough for TorchSharp, the right Torch backend per image, a non-root
/// user and a health check in each final stage, and every COPY source present. (Building the images needs a Docker engine.)
/// </summary>
public sealed class DockerfileTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "silo-cpu.Dockerfile", "cpu" },
        { "silo-cuda.Dockerfile", "cuda" },
        { "client.Dockerfile", "cpu" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Image_BuildsTheRightBackend_OnPinnedBases_AndRunsAsNonRootWithAHealthCheck(string file, string backend)
    {
        var lines = File.ReadAllLines(Repository.PathOf("deploy", "docker", file)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var bases = lines.Where(l => l.StartsWith("FROM ")).Select(l => l.Split(' ')[1]).ToList();
        Assert.Equal(2, bases.Count); // a build stage and a runtime stage
        Assert.All(bases, image =>
        {
            var tag = image.Split(':').ElementAtOrDefault(1);
            Assert.True(tag is not null && tag != "latest" && Regex.IsMatch(tag, @"^\d+\.\d+\.\d+"), $"{file}: base {image} has no pinned version tag");
            // Ubuntu 24.04 (noble) ships GLIBCXX_3.4.32, so TorchSharp's native library loads without a patch.
            Assert.EndsWith("-noble", image);
        });

        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish") && l.Contains($"-p:TorchBackend={backend}"));

        var final = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM "))).ToList();
        var user = final.LastOrDefault(l => l.StartsWith("USER "))?.Split(' ')[1];
        Assert.True(user is not null && user is not "root" and not "0", $"{file}: the final stage runs as root");
        Assert.Contains(final, l => l.StartsWith("HEALTHCHECK ") && l.Contains("CMD"));
        Assert.Contains(final, l => l.StartsWith("ENTRYPOINT "));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void EveryCopySource_ExistsInTheRepository(string file, string backend)
    {
        _ = backend;
        var copies = File.ReadAllLines(Repository.PathOf("deploy", "docker", file)).Select(l => l.Trim())
            .Where(l => l.StartsWith("COPY ") && !l.Contains("--from=")).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
                Assert.True(File.Exists(Repository.PathOf(source)) || Directory.Exists(Repository.PathOf(source)), $"{file}: COPY {source} is not in the repository");
        }
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsOutOfTheContext()
    {
        var ignored = File.ReadAllLines(Repository.PathOf(".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }
}
