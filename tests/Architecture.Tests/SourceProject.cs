using System.Xml.Linq;
using Sweeps.Testing;

namespace Sweeps.Architecture.Tests;

/// <summary>A project of src/, named by its folder, as its project file and sources describe it.</summary>
public static class SourceProject
{
    /// <summary>The folder names (under src/) of the projects it references, and its package ids.</summary>
    public static (string[] Projects, string[] Packages) References(string project)
    {
        var file = ProjectFile(project);
        var document = XDocument.Load(file);
        var projects = document.Descendants("ProjectReference")
            .Select(r => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, r.Attribute("Include")!.Value)))!))
            .ToArray();
        var packages = document.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToArray();
        return (projects, packages);
    }

    /// <summary>The name of the assembly it builds: its AssemblyName (the CLI's is <c>sweep</c>), else its project file's name.</summary>
    public static string AssemblyName(string project)
    {
        var file = ProjectFile(project);
        return XDocument.Load(file).Descendants("AssemblyName").SingleOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(file);
    }

    /// <summary>Its C# files, leaving out what the build writes (obj/, bin/).</summary>
    public static IEnumerable<string> SourceFiles(string project) =>
        Directory.GetFiles(Repository.PathOf("src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string ProjectFile(string project) => Directory.GetFiles(Repository.PathOf("src", project), "*.csproj").Single();
}
