using System.Text.Json;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>A random search end to end on the tiny BERT: its answer (the top configurations), its picture (the metric against the searched setting) and its trials opened in Optuna.</summary>
public sealed class SearchSweepTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    /// <summary>A search of SMP-S's score_lr (and what <paramref name="keep"/> and <paramref name="objectives"/> add) on the tiny BERT and task.</summary>
    private string SearchGrid(string file, string name, string keep, string search, string? objectives = null) => work.Write($"{file}.yaml", $$"""
        name: {{name}}
        model: {{tiny.Directory}}
        tasks:
          - name: sst2
            data: sst2
        methods: [smp-s]
        keep: {{keep}}
        search: {{search}}
        {{(objectives is null ? "" : "objectives: " + objectives)}}
        training:
          epochs: 1
          batch_size: 8
          max_length: 16
          head_lr: 1e-2
          score_lr: {log_uniform: [1e-3, 1e-1]}
        """);

    [Fact]
    public async Task ResultsTopPlotAndExportStudy_ARandomSearch_RankItsConfigurationsDrawTheMetricAndOpenInOptuna()
    {
        TinyTasks.WriteSst2Folder(work);
        var grid = SearchGrid("search", "tiny-search", keep: "[0.5]", search: "{method: random, samples: 4, seed: 3}");
        string[] cluster = ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];
        var (submitted, table) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. cluster]);
        Assert.True(submitted == 0, table);
        var sweepId = System.Text.RegularExpressions.Regex.Match(table, @"sweep (tiny-search-[0-9a-f]{8})").Groups[1].Value;

        var (ranked, top) = await SweepCli.RunAsync(["results", sweepId, "--top", "2", "--format", "json", .. cluster]);
        var (summarised, summary) = await SweepCli.RunAsync(["results", sweepId, "--format", "json", .. cluster]);
        var svg = Path.Combine(work.Path, "search.svg");
        var (plotted, plotOutput) = await SweepCli.RunAsync(["plot", sweepId, "--output", svg, .. cluster]);
        var analysis = Path.Combine(work.Path, "analysis.png");
        var (analysed, analysisOutput) = await SweepCli.RunAsync(["plot", sweepId, "--search", "--output", analysis, .. cluster]);
        var analysisSvg = Path.Combine(work.Path, "analysis.svg");
        await SweepCli.RunAsync(["plot", sweepId, "--search", "--output", analysisSvg, .. cluster]);
        var (refused, refusal) = await SweepCli.RunAsync(["results", sweepId, "--top", "0", .. cluster]);
        var (fronted, front) = await SweepCli.RunAsync(["results", sweepId, "--pareto", "--format", "json", .. cluster]);
        var (twoViews, twoViewsOutput) = await SweepCli.RunAsync(["results", sweepId, "--pareto", "--top", "2", .. cluster]);
        var journal = Path.Combine(work.Path, "study.log");
        var (exported, exportOutput) = await SweepCli.RunAsync(["export-study", sweepId, "-o", journal, .. cluster]);
        var (overwriting, overwriteOutput) = await SweepCli.RunAsync(["export-study", sweepId, "-o", journal, .. cluster]);

        Assert.Contains($"sweep results {sweepId} --top 5", table.ReplaceLineEndings("")); // the table of a search points to its ranking
        Assert.True(ranked == 0, top);
        Assert.Equal(0, summarised);
        var group = Assert.Single(JsonDocument.Parse(top).RootElement.EnumerateArray());
        Assert.Equal(4, group.GetProperty("configurations").GetInt32());
        var shown = group.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("metrics").GetProperty("accuracy").GetProperty("mean").GetDouble()).ToList();
        var every = JsonDocument.Parse(summary).RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => c.GetProperty("metrics").GetProperty("accuracy").GetProperty("mean").GetDouble()).OrderDescending().ToList();
        Assert.Equal(every.Take(2), shown); // the two best of the four, best first
        Assert.All(group.GetProperty("top").EnumerateArray(), t => Assert.True(t.GetProperty("settings").TryGetProperty("score_lr", out _)));
        Assert.True(plotted == 0, plotOutput);
        var picture = System.Xml.Linq.XDocument.Load(svg).ToString();
        Assert.Contains("sst2: dev accuracy vs score_lr (4 configurations)", picture);
        Assert.NotEqual(0, refused);
        Assert.Contains("--top must be at least 1", refusal);
        // The search's analysis: how it converged, and its setting against the metric, one line per configuration.
        Assert.True(analysed == 0, analysisOutput);
        Directory.CreateDirectory(Repository.PathOf("TestResults"));
        File.Copy(analysis, Repository.PathOf("TestResults", "search-analysis.png"), overwrite: true); // kept to be looked at
        var analysisText = System.Xml.Linq.XDocument.Load(analysisSvg).ToString();
        Assert.Contains("sst2: dev accuracy of each configuration, in the order they finished, and the best so far", analysisText);
        Assert.Contains("sst2: 4 configurations across their settings", analysisText);

        // The front of accuracy against size holds the best configuration (others only where their masks kept fewer weights).
        Assert.True(fronted == 0, front);
        var onFront = Assert.Single(JsonDocument.Parse(front).RootElement.EnumerateArray()).GetProperty("front").EnumerateArray().ToList();
        Assert.Contains(every[0], onFront.Select(c => c.GetProperty("metric").GetProperty("mean").GetDouble()));
        Assert.Equal(2, twoViews);
        Assert.Contains("--top and --pareto each choose what to print", twoViewsOutput.ReplaceLineEndings(" "));

        // The search opens in Optuna: each trial with the accuracy the results give it and its sampled learning rate.
        Assert.True(exported == 0, exportOutput);
        Assert.NotEqual(0, overwriting);
        Assert.Contains("give --force to replace it", overwriteOutput);
        var study = OptunaPeer.LoadJournal(journal).GetProperty("trials").EnumerateArray().ToList();
        var accuracyById = JsonDocument.Parse(summary).RootElement.GetProperty("cells").EnumerateArray().ToDictionary(
            c => c.GetProperty("trials")[0].GetString()!, c => c.GetProperty("metrics").GetProperty("accuracy").GetProperty("mean").GetDouble());
        Assert.Equal(accuracyById.OrderBy(p => p.Key), study.ToDictionary(t => t.GetProperty("user_attrs").GetProperty("trial_id").GetString()!,
            t => t.GetProperty("values")[0].GetDouble()).OrderBy(p => p.Key));
        Assert.All(study, t => Assert.Equal("COMPLETE", t.GetProperty("state").GetString()));
        Assert.Equal(4, study.Select(t => t.GetProperty("params").GetProperty("score_lr").GetDouble()).Distinct().Count());
    }
    [Fact]
    public async Task ATpeSearch_ProposesItsPointsAsItRuns_AndEndsWithEveryPointAResult()
    {
        TinyTasks.WriteSst2Folder(work);
        var grid = SearchGrid("tpe", "tiny-tpe", keep: "[0.5]", search: "{method: tpe, samples: 4, seed: 2, startup: 2}");
        string[] cluster = ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];

        var (planned, plan) = await SweepCli.RunAsync(["submit", grid, "--dry-run", .. cluster]);
        var (submitted, table) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. cluster]);
        var sweepId = System.Text.RegularExpressions.Regex.Match(table, @"sweep (tiny-tpe-[0-9a-f]{8})").Groups[1].Value;
        var (again, againOutput) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. cluster]);
        var (listed, trials) = await SweepCli.RunAsync(["results", sweepId, "--trials", "--format", "json", .. cluster]);

        Assert.True(planned == 0, plan);
        Assert.Contains("tpe proposes 4 points as slots free", plan.ReplaceLineEndings(" "));
        Assert.Contains("score_lr: log_uniform", plan);
        Assert.True(submitted == 0, table);
        Assert.Contains($"sweep {sweepId}: 4 trials", table);
        Assert.True(again == 0, againOutput);
        Assert.Contains($"sweep {sweepId}: 4 trials", againOutput); // the same grid finds the same sweep, its points proposed
        Assert.True(listed == 0, trials);
        var rows = JsonDocument.Parse(trials).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("done", r.GetProperty("State").GetString()));
        Assert.Equal(4, rows.Select(r => r.GetProperty("Spec").GetProperty("Training").GetProperty("ScoreLearningRate").GetDouble()).Distinct().Count());
    }

    [Fact]
    public async Task ATwoObjectiveSearch_ProposesKeepFractionsAndSettings_AndItsFrontIsReported()
    {
        TinyTasks.WriteSst2Folder(work);
        var grid = SearchGrid("pareto", "tiny-pareto", keep: "{uniform: [0.1, 0.9]}", search: "{method: tpe, samples: 5, seed: 4, startup: 3}", objectives: "[{metric: accuracy, mode: max}, {keep: min}]");
        string[] cluster = ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];

        var (submitted, table) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. cluster]);
        var sweepId = System.Text.RegularExpressions.Regex.Match(table, @"sweep (tiny-pareto-[0-9a-f]{8})").Groups[1].Value;
        var (listed, trials) = await SweepCli.RunAsync(["results", sweepId, "--trials", "--format", "json", .. cluster]);
        var (fronted, front) = await SweepCli.RunAsync(["results", sweepId, "--pareto", "--format", "json", .. cluster]);
        var journal = Path.Combine(work.Path, "pareto.log");
        var (exported, exportOutput) = await SweepCli.RunAsync(["export-study", sweepId, "-o", journal, .. cluster]);
        var figure = Path.Combine(work.Path, "front.svg");
        var (plotted, plotOutput) = await SweepCli.RunAsync(["plot", sweepId, "--pareto", "-o", figure, .. cluster]);

        Assert.True(submitted == 0, table);
        Assert.True(listed == 0, trials);
        var rows = JsonDocument.Parse(trials).RootElement.EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("done", r.GetProperty("State").GetString()));
        var keeps = rows.Select(r => r.GetProperty("Spec").GetProperty("Keep").GetDouble()).ToList();
        Assert.Equal(5, keeps.Distinct().Count());
        Assert.All(keeps, k => Assert.InRange(k, 0.1, 0.9));
        // The front of accuracy against the keep achieved holds the smallest model, which nothing can beat on size.
        Assert.True(fronted == 0, front);
        var onFront = Assert.Single(JsonDocument.Parse(front).RootElement.EnumerateArray()).GetProperty("front").EnumerateArray().ToList();
        Assert.Contains(onFront, c => Math.Abs(c.GetProperty("keep").GetDouble() - keeps.Min()) < 1e-9);
        // In Optuna: a study of both objectives, every trial with its accuracy and achieved keep, and the same front.
        Assert.True(exported == 0, exportOutput);
        var study = OptunaPeer.LoadJournal(journal);
        Assert.Equal(["MAXIMIZE", "MINIMIZE"], study.GetProperty("directions").EnumerateArray().Select(d => d.GetString()));
        var studyTrials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.All(studyTrials, t => Assert.Equal(2, t.GetProperty("values").GetArrayLength()));
        var optunaFront = study.GetProperty("best_trials").EnumerateArray().Select(n => studyTrials[n.GetInt32()].GetProperty("params").GetProperty("keep").GetDouble());
        Assert.Equal(onFront.Select(c => c.GetProperty("keep").GetDouble()).Order(), optunaFront.Order());
        // The front drawn: one configuration at several keeps, named once in the legend.
        Assert.True(plotted == 0, plotOutput);
        Assert.Contains($"Pareto front ({onFront.Count}): ", File.ReadAllText(figure));
    }
}
