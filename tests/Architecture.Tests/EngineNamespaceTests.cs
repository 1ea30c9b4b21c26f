using System.Text.RegularExpressions;
using Sweeps.Testing;

namespace Sweeps.Architecture.Tests;

/// <summary>
/// The engine's namespaces form layers, not a tangle: no namespace reaches, through others, back to itself. Read
/// from the sources: a file's namespace is a folder of src/Pruning, and it reaches another by a using directive or
/// a qualified name (the engine has no global usings of its own).
/// </summary>
public sealed partial class EngineNamespaceTests
{
    private static readonly string Engine = Repository.PathOf("src", "Pruning");

    [Fact]
    public void EngineNamespaces_HaveNoCycle()
    {
        var graph = Dependencies();

        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"engine namespaces form a cycle: {string.Join(" → ", cycle ?? [])} (docs/architecture.md draws the layers)");
        Assert.Contains("Trials", graph.Keys); // the scan saw the engine, not an empty folder
        Assert.Contains("Squad", graph["Trials"]);
    }

    [Fact]
    public void TheEngine_DeclaresNoGlobalUsing()
    {
        var global = SourceFiles().Where(f => File.ReadAllText(f).Contains("global using", StringComparison.Ordinal)).ToList();
        Assert.True(global.Count == 0, $"a global using hides a namespace's dependencies from this scan: {string.Join(", ", global)}");
    }

    /// <summary>Namespace (its folder) → the engine namespaces its files reach.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var namespaces = Directory.GetDirectories(Engine).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Select(n => n!).ToHashSet();
        var graph = namespaces.ToDictionary(n => n, _ => new HashSet<string>());
        foreach (var file in SourceFiles())
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(file)!);
            if (!namespaces.Contains(folder)) continue; // the root namespace (SweepsCache) sits below everything
            var text = File.ReadAllText(file);
            foreach (Match m in QualifiedName().Matches(text))
            {
                var target = m.Groups["ns"].Value;
                if (target != folder && namespaces.Contains(target)) graph[folder].Add(target);
            }
        }
        return graph;
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.GetFiles(Engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    /// <summary>A cycle as the namespaces along it (first = last), or null.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            if (path.Contains(node)) return [.. path.SkipWhile(n => n != node), node];
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var next in graph[node].Order())
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return graph.Keys.Order().Select(Visit).FirstOrDefault(c => c is not null);
    }

    // "using Sweeps.Pruning.Squad;", "Sweeps.Pruning.Squad.SquadTask", and a sibling's relative "Squad.SquadTask".
    [GeneratedRegex(@"(?:\bSweeps\.Pruning\.|(?<![\w.]))(?<ns>[A-Z][a-z]+)(?:;|\.[A-Z])")]
    private static partial Regex QualifiedName();
}
