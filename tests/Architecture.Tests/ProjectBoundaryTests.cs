namespace Sweeps.Architecture.Tests;

/// <summary>
/// The layering docs/architecture.md draws, enforced on the project files (what the build references): the engine
/// knows no Orleans, the interfaces no project of ours, the client no grain implementation, the grains no host.
/// <see cref="AssemblyBoundaryTests"/> checks what the built assemblies really use, whichever reference brought it.
/// </summary>
public sealed class ProjectBoundaryTests
{
    /// <summary>Project → the projects and package prefixes it must not reference.</summary>
    public static TheoryData<string, string[], string[]> Rules => new()
    {
        { "Pruning", ["Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Microsoft.Orleans"] },
        // The trial worker runs the engine and nothing of the cluster: a trial's process holds no Orleans.
        { "Worker", ["Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web"], ["Microsoft.Orleans"] },
        // What a trial leaves on disk, as plain data: read by the pages without the engine, so it needs nothing at all.
        { "Artifacts", ["Pruning", "Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Microsoft.Orleans", "TorchSharp"] },
        { "Grains.Interfaces", ["Artifacts", "Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["TorchSharp"] },
        { "SweepClient", ["Grains", "Silo", "Worker"], [] },
        { "Grains", ["Hosting", "Silo", "SweepClient", "Reports", "Web"], [] },
        { "Hosting", ["Silo", "SweepClient", "Reports", "Web"], [] },
        // How a search chooses its points: plain C#, usable by the grains and the client alike.
        { "Search", ["Artifacts", "Pruning", "Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Microsoft.Orleans", "TorchSharp"] },
        { "Reports", ["Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Web", "Worker"], ["Microsoft.Orleans", "TorchSharp"] },
        // The pages read a trial's files through Artifacts and export through their host's engine: they load none of their own.
        { "Web", ["Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Worker"], ["Microsoft.Orleans", "TorchSharp"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Project_ReferencesNothingItsLayerForbids(string project, string[] forbiddenProjects, string[] forbiddenPackages)
    {
        var (projects, packages) = SourceProject.References(project);

        var badProjects = projects.Intersect(forbiddenProjects).ToList();
        var badPackages = packages.Where(p => forbiddenPackages.Any(f => p.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(badProjects.Count == 0, $"src/{project} references {string.Join(", ", badProjects)}, which its layer forbids");
        Assert.True(badPackages.Count == 0, $"src/{project} references {string.Join(", ", badPackages)}, which its layer forbids");
    }

    [Fact]
    public void Client_ReferencesTheOrleansClientAndTheInterfaces()
    {
        var (projects, packages) = SourceProject.References("SweepClient");

        Assert.Contains("Grains.Interfaces", projects);
        Assert.Contains("Microsoft.Orleans.Client", packages);
    }
}
