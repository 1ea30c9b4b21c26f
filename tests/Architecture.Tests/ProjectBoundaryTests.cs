using System.Reflection;
using System.Xml.Linq;
using Sweeps.Testing;

namespace Sweeps.Architecture.Tests;

/// <summary>
/// The layering docs/architecture.md draws, enforced: the engine knows no Orleans, the interfaces no project of ours,
/// the client no grain implementation, the grains no host. Read from the project files (what the build references)
/// and from the built engine (what it really loads).
/// </summary>
public sealed class ProjectBoundaryTests
{
    /// <summary>Project → the projects and package prefixes it must not reference.</summary>
    public static TheoryData<string, string[], string[]> Rules => new()
    {
        { "Pruning", ["Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Microsoft.Orleans"] },
        // The trial worker runs the engine and nothing of the cluster: a trial's process holds no Orleans.
        { "Worker", ["Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web"], ["Microsoft.Orleans"] },
        { "Grains.Interfaces", ["Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], [] },
        { "SweepClient", ["Grains", "Silo"], [] },
        { "Grains", ["Hosting", "Silo", "SweepClient", "Reports", "Web"], [] },
        { "Hosting", ["Silo", "SweepClient"], [] },
        { "Reports", ["Grains", "Hosting", "Silo", "SweepClient", "Web", "Worker"], ["Microsoft.Orleans"] },
        { "Web", ["Grains", "Hosting", "Silo", "SweepClient"], [] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Project_ReferencesNothingItsLayerForbids(string project, string[] forbiddenProjects, string[] forbiddenPackages)
    {
        var (projects, packages) = References(project);

        var badProjects = projects.Intersect(forbiddenProjects).ToList();
        var badPackages = packages.Where(p => forbiddenPackages.Any(f => p.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(badProjects.Count == 0, $"src/{project} references {string.Join(", ", badProjects)}, which its layer forbids");
        Assert.True(badPackages.Count == 0, $"src/{project} references {string.Join(", ", badPackages)}, which its layer forbids");
    }

    [Fact]
    public void Client_ReferencesTheOrleansClientAndTheInterfaces()
    {
        var (projects, packages) = References("SweepClient");

        Assert.Contains("Grains.Interfaces", projects);
        Assert.Contains("Microsoft.Orleans.Client", packages);
    }

    [Fact]
    public void BuiltWorker_LoadsNoOrleansAssembly()
    {
        var worker = typeof(Sweeps.Worker.TrialWorker).Assembly;

        Assert.DoesNotContain(worker.GetReferencedAssemblies(), a => a.Name!.StartsWith("Orleans", StringComparison.Ordinal) || a.Name.StartsWith("Sweeps.Grains", StringComparison.Ordinal));
    }

    [Fact]
    public void BuiltEngine_LoadsNoOrleansAssembly()
    {
        var engine = typeof(Sweeps.Pruning.SweepsCache).Assembly;

        Assert.DoesNotContain(engine.GetReferencedAssemblies(), a => a.Name!.StartsWith("Orleans", StringComparison.Ordinal) || a.Name.StartsWith("Sweeps.Grains", StringComparison.Ordinal));
    }

    /// <summary>The folder names (under src/) of the projects a project references, and its package ids.</summary>
    private static (string[] Projects, string[] Packages) References(string project)
    {
        var file = Directory.GetFiles(Repository.PathOf("src", project), "*.csproj").Single();
        var document = XDocument.Load(file);
        var projects = document.Descendants("ProjectReference")
            .Select(r => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, r.Attribute("Include")!.Value)))!))
            .ToArray();
        var packages = document.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToArray();
        return (projects, packages);
    }
}
