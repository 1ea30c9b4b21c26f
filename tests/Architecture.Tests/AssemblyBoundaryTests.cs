using System.Reflection;
using System.Text.RegularExpressions;
using Sweeps.Testing;

namespace Sweeps.Architecture.Tests;

/// <summary>
/// The layering as the code uses it: what each built assembly references, whichever project reference brought it (a
/// project reaches every project its references reach, and may use them without naming them). The CLI hosts its
/// embedded silo through Hosting but uses no grain; the pages read a trial's files without the engine.
/// </summary>
public sealed partial class AssemblyBoundaryTests
{
    /// <summary>Project → the projects whose assemblies its built assembly must not reference, and the prefixes of other assemblies it must not.</summary>
    public static TheoryData<string, string[], string[]> Rules => new()
    {
        // The engine and the trial worker know nothing of the cluster: a trial's process holds no Orleans.
        { "Pruning", ["Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Orleans"] },
        { "Worker", ["Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web"], ["Orleans"] },
        // What a trial leaves on disk is plain data, readable with neither the engine nor the cluster.
        { "Artifacts", ["Pruning", "Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Orleans", "TorchSharp"] },
        { "Grains.Interfaces", ["Artifacts", "Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["TorchSharp"] },
        // The CLI runs the engine (train, probe, export) and hosts the embedded silo through Hosting's API
        // (EmbeddedSilo, TlsSettings.LoadForClient): the grains and the worker run only inside that silo.
        { "SweepClient", ["Grains", "Silo", "Worker"], [] },
        { "Grains", ["Hosting", "Silo", "SweepClient", "Reports", "Web"], [] },
        { "Hosting", ["Silo", "SweepClient", "Reports", "Web"], [] },
        // Results as people read them, from the records the interfaces carry: no engine, no grain, no cluster runtime.
        // (Orleans.Serialization is referenced: the code generator the interfaces bring writes its manifest everywhere.)
        { "Search", ["Artifacts", "Pruning", "Grains.Interfaces", "Grains", "Hosting", "Silo", "SweepClient", "Reports", "Web", "Worker"], ["Orleans", "TorchSharp"] },
        { "Reports", ["Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Web", "Worker"], ["TorchSharp", "Orleans.Core", "Orleans.Runtime"] },
        // The pages read a trial's files through Artifacts and export through their host's ITrialExporter: they load
        // no engine (TorchSharp) of their own, and ask the cluster through IGrainFactory, never a silo's runtime.
        { "Web", ["Pruning", "Grains", "Hosting", "Silo", "SweepClient", "Worker"], ["TorchSharp", "Orleans.Runtime"] },
    };

    /// <summary>The rules' projects and the projects they must not use, for the sources' check.</summary>
    public static TheoryData<string, string[]> ProjectRules
    {
        get
        {
            var rules = new TheoryData<string, string[]>();
            foreach (var rule in Rules) rules.Add((string)rule[0], (string[])rule[1]);
            return rules;
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void BuiltAssembly_ReferencesNothingItsLayerForbids(string project, string[] forbiddenProjects, string[] forbiddenPrefixes)
    {
        var forbidden = forbiddenProjects.Select(SourceProject.AssemblyName).ToHashSet();

        var referenced = Assembly.Load(SourceProject.AssemblyName(project)).GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var bad = referenced.Where(a => forbidden.Contains(a) || forbiddenPrefixes.Any(p => a.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.True(bad.Count == 0, $"the built src/{project} references {string.Join(", ", bad)}, which its layer forbids");
    }

    /// <summary>
    /// The same rules, read from the sources' using directives: a constant (a certificate usage, say) is compiled into
    /// the code that names it and leaves no reference in the built assembly, but the namespace it came from is opened.
    /// </summary>
    [Theory]
    [MemberData(nameof(ProjectRules))]
    public void Sources_OpenNoNamespaceOfAForbiddenProject(string project, string[] forbiddenProjects)
    {
        var forbidden = forbiddenProjects.SelectMany(p => DeclaredNamespaces(p).Select(n => (Namespace: n, Project: p))).DistinctBy(n => n.Namespace).ToDictionary(n => n.Namespace, n => n.Project);

        var bad = SourceProject.SourceFiles(project)
            .SelectMany(file => UsingDirective().Matches(File.ReadAllText(file)).Select(m => (File: file, Using: m.Groups["name"].Value, OfType: m.Groups["type"].Success)))
            // using static and an alias name a type: its namespace is the name without its last part.
            .Select(u => (u.File, Namespace: u.OfType ? u.Using[..Math.Max(0, u.Using.LastIndexOf('.'))] : u.Using))
            .Where(u => forbidden.ContainsKey(u.Namespace))
            .Select(u => $"{Path.GetRelativePath(Repository.Root, u.File)} opens {u.Namespace} (src/{forbidden[u.Namespace]})")
            .ToList();
        Assert.True(bad.Count == 0, $"src/{project} uses what its layer forbids: {string.Join("; ", bad)}");
    }

    [Fact]
    public void TheRules_SeeWhatTheCodeUses()
    {
        // The CLI reaches the hosting library and the pages the artefact records: a scan that sees these sees the rest.
        Assert.Contains("Sweeps.Hosting", Assembly.Load("sweep").GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("Sweeps.Artifacts", Assembly.Load("Sweeps.Web").GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("Sweeps.Grains.Security", DeclaredNamespaces("Grains"));
    }

    /// <summary>The project's own namespaces (Sweeps.*): one that adds to a framework's namespace shares it with everyone.</summary>
    private static HashSet<string> DeclaredNamespaces(string project) =>
        SourceProject.SourceFiles(project).SelectMany(f => NamespaceDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Where(n => n.StartsWith("Sweeps.", StringComparison.Ordinal)).ToHashSet();

    // "using Sweeps.Grains.Security;", "global using static Sweeps.Web.Html;", "using Trust = Sweeps.Grains.Security.ClusterTrust;"
    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?<type>static\s+|\w+\s*=\s*)?(?<name>[A-Za-z_][\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
