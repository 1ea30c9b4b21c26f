using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The Grafana dashboards read only what docs/metrics.md lists, and no series of a finished trial (there is none:
/// finished trials are summarised by their result cells, so a sweep's series stay bounded at any size).
/// </summary>
public sealed partial class DashboardTests
{
    [GeneratedRegex(@"\b(?:sweeps|orleans|dotnet)_[a-z0-9_]+")]
    private static partial Regex FamilyName();

    private static IEnumerable<(string Panel, string Expression)> Queries()
    {
        foreach (var file in Directory.GetFiles(Repository.PathOf("deploy", "grafana", "dashboards"), "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var templating = document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Select(v => (Panel: $"{Path.GetFileName(file)} ${v.GetProperty("name").GetString()}", Expression: v.GetProperty("definition").GetString()!));
            var panels = document.RootElement.GetProperty("panels").EnumerateArray().SelectMany(p => p.GetProperty("targets").EnumerateArray()
                .Select(t => (Panel: $"{Path.GetFileName(file)} / {p.GetProperty("title").GetString()}", Expression: t.GetProperty("expr").GetString()!)));
            foreach (var query in templating.Concat(panels).ToList()) yield return query;
        }
    }

    [Fact]
    public void EveryQuery_ReadsOnlyFamiliesThatDocsMetricsLists()
    {
        var documented = File.ReadAllText(Repository.PathOf("docs", "metrics.md"));
        // A histogram is documented by its family name and read through its _bucket series.
        var undocumented = Queries()
            .SelectMany(q => FamilyName().Matches(q.Expression).Select(m => (q.Panel, Name: m.Value)))
            .Where(q => !documented.Contains($"`{q.Name}`") && !documented.Contains($"`{Regex.Replace(q.Name, "_bucket$", "")}`"))
            .Select(q => $"{q.Panel}: {q.Name}")
            .ToList();

        Assert.NotEmpty(Queries());
        Assert.True(undocumented.Count == 0, "dashboard queries read families docs/metrics.md does not list:\n" + string.Join('\n', undocumented));
    }

    [Fact]
    public void NoQuery_ReadsASeriesOfAFinishedTrial()
    {
        // The paper dashboard's achieved keep fraction comes from the result cells, as its metrics do.
        Assert.Contains(Queries(), q => q.Expression.Contains("sweeps_cell_keep_achieved", StringComparison.Ordinal));
        Assert.DoesNotContain(Queries(), q => Regex.IsMatch(q.Expression, @"sweeps_trial_metric\b|sweeps_trial_keep_achieved\b|\bseed\b"));
    }
}
