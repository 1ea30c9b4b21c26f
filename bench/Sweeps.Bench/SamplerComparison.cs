using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScottPlot;
using Sweeps.Reports;
using Sweeps.Search;
using Sweeps.Testing;

namespace Sweeps.Bench;

/// <summary>
/// Our samplers against Optuna's, side by side: random and multivariate TPE on each <see cref="TestFunctions"/>
/// function, SEEDS seeds of TRIALS trials each, one trial after another. Reports the simple regret (best value so far
/// minus the known minimum) as median and interquartile range over the seeds after 10, 25, 50 and TRIALS trials, the
/// trials each needed to come within the function's margin of the minimum, the time per proposal of our TPE with 1,000
/// finished trials, and a plot of the regret curves. Optuna runs in Debian's python3-optuna (bench/optuna-peer.py),
/// as it is and with the kernel density Optuna 3.5 corrected (optuna#5109), which is the one ours computes;
/// every point it reports is evaluated again here, and a run where the two definitions disagree is refused.
/// </summary>
public static class SamplerComparison
{
    /// <param name="only">One function's name (branin, hartmann6, smp-spam), or null for all.</param>
    public static void Run(int seeds, int trials, string? plotPath, string? only = null)
    {
        var functions = TestFunctions.All.Where(f => only is null || f.Name == only).ToList();
        if (functions.Count == 0) throw new ArgumentException($"--only {only}: no such function; the functions are {string.Join(", ", TestFunctions.All.Select(f => f.Name))}");
        Console.WriteLine($"{Environment.ProcessorCount} cores; {seeds} seeds × {trials} trials per sampler and function; regret = best so far − minimum: median [25th–75th percentile]");
        var optuna = OptunaPeer.Version();
        Console.WriteLine(optuna is null ? "Optuna: not installed (apt-get install python3-optuna); ours only" : $"Optuna {optuna} (Debian's python3-optuna)");
        var checkpoints = new[] { 10, 25, 50, trials }.Where(c => c <= trials).Distinct().ToArray();
        var panels = new List<Plot>();
        foreach (var function in functions)
        {
            var runs = new List<(string Sampler, double[][] Regret)>
            {
                ("ours, random", Ours(function, seed => new RandomSampler(function.Space, seed), seeds, trials)),
                ("ours, TPE", Ours(function, seed => new TpeSampler(function.Space, seed), seeds, trials)),
            };
            if (optuna is not null)
            {
                runs.Add(("Optuna, random", Peer(function, "random", seeds, trials)));
                runs.Add(("Optuna, TPE", Peer(function, "tpe", seeds, trials)));
                runs.Add(("Optuna, TPE, density fixed", Peer(function, "tpe-fixed", seeds, trials)));
            }
            Console.WriteLine();
            Console.WriteLine($"{function.Name} ({function.Space.Count} dimensions, minimum {function.Minimum}, margin {function.Margin})");
            Console.WriteLine($"| sampler | {string.Join(" | ", checkpoints.Select(c => $"regret after {c}"))} | trials to within {function.Margin} (median; seeds that got there) |");
            Console.WriteLine($"| --- |{string.Concat(checkpoints.Select(_ => " --- |"))} --- |");
            foreach (var (sampler, regret) in runs)
            {
                var cells = checkpoints.Select(c => Quartiles(regret.Select(r => r[c - 1]).ToList())).Select(q => $"{q.Median:G3} [{q.Low:G3}–{q.High:G3}]");
                var reached = regret.Select(r => Array.FindIndex(r, v => v <= function.Margin)).ToList();
                var needed = Quartiles(reached.Select(i => i < 0 ? double.PositiveInfinity : i + 1.0).ToList()).Median;
                Console.WriteLine($"| {sampler} | {string.Join(" | ", cells)} | {(double.IsInfinity(needed) ? $"> {trials}" : needed.ToString("0", CultureInfo.InvariantCulture))}; {reached.Count(i => i >= 0)} of {seeds} |");
            }
            panels.Add(Panel(function, runs));
        }
        Console.WriteLine();
        Console.WriteLine($"time per proposal of our TPE with 1,000 finished trials (hartmann6): {ProposalMilliseconds(TestFunctions.Hartmann6, 1000):F1} ms (median of 20)");
        if (plotPath is not null)
        {
            FigureFile.Save(panels, plotPath);
            Console.WriteLine($"wrote {Path.GetFullPath(plotPath)}");
        }
    }

    private static double[][] Ours(TestFunction function, Func<int, ISearchSampler> sampler, int seeds, int trials) =>
        Enumerable.Range(0, seeds).Select(seed =>
        {
            var (chosen, seen) = (sampler(seed), new List<SearchTrial>());
            for (var i = 0; i < trials; i++)
            {
                var point = chosen.Next(seen);
                seen.Add(new SearchTrial(point, function.Evaluate(point)));
            }
            return BestSoFar(function, seen.Select(t => t.Loss!.Value));
        }).ToArray();

    private static double[][] Peer(TestFunction function, string sampler, int seeds, int trials)
    {
        var output = OptunaPeer.Run(Path.Combine(BenchFolder(), "optuna-peer.py"), function.Name, sampler, seeds.ToString(CultureInfo.InvariantCulture), trials.ToString(CultureInfo.InvariantCulture));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var run = JsonDocument.Parse(line);
            var values = run.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var points = run.RootElement.GetProperty("params").EnumerateArray()
                .Select(p => p.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetDouble())).ToList();
            for (var i = 0; i < values.Count; i++)
                if (Math.Abs(function.Evaluate(points[i]) - values[i]) > 1e-9 * Math.Max(1, Math.Abs(values[i])))
                    throw new InvalidOperationException($"{function.Name}: Optuna's value {values[i]} at trial {i} is {function.Evaluate(points[i])} by our definition");
            return BestSoFar(function, values);
        }).ToArray();
    }

    private static double[] BestSoFar(TestFunction function, IEnumerable<double> values)
    {
        var best = double.PositiveInfinity;
        return values.Select(v => (best = Math.Min(best, v)) - function.Minimum).ToArray();
    }

    private static double ProposalMilliseconds(TestFunction function, int finished)
    {
        var random = new RandomSampler(function.Space, 1);
        var trials = new List<SearchTrial>();
        for (var i = 0; i < finished; i++)
        {
            var point = random.Next(trials);
            trials.Add(new SearchTrial(point, function.Evaluate(point)));
        }
        var tpe = new TpeSampler(function.Space, 1);
        tpe.Next(trials); // warm-up
        var times = Enumerable.Range(0, 20).Select(_ =>
        {
            var started = Stopwatch.GetTimestamp();
            tpe.Next(trials);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }).ToList();
        return Quartiles(times).Median;
    }

    private static Plot Panel(TestFunction function, List<(string Sampler, double[][] Regret)> runs)
    {
        var plot = new Plot();
        plot.Title($"{function.Name}: simple regret over {runs[0].Regret.Length} seeds (median, band 25th–75th percentile)");
        plot.XLabel("trials");
        plot.YLabel("regret (log scale)");
        var colors = new[] { Colors.Gray, Colors.Blue, Colors.Orange, Colors.Red, Colors.Green };
        var xs = Enumerable.Range(1, runs[0].Regret[0].Length).Select(i => (double)i).ToArray();
        // Regret is drawn as its log: a floor keeps an exact hit drawable.
        static double Log(double regret) => Math.Log10(Math.Max(regret, 1e-6));
        foreach (var ((sampler, regret), color) in runs.Zip(colors))
        {
            var quartiles = xs.Select((_, i) => Quartiles(regret.Select(r => r[i]).ToList())).ToList();
            var band = plot.Add.FillY(xs, quartiles.Select(q => Log(q.Low)).ToArray(), quartiles.Select(q => Log(q.High)).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
            var median = plot.Add.ScatterLine(xs, quartiles.Select(q => Log(q.Median)).ToArray(), color);
            median.LineWidth = 2;
            median.LegendText = sampler;
        }
        // Ticks at 1, 2 and 5 times each power of ten: a log axis read in plain numbers.
        var ticks = Enumerable.Range(-6, 9).SelectMany(power => new[] { 1.0, 2, 5 }.Select(m => m * Math.Pow(10, power))).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(Math.Log10).ToArray(),
            ticks.Select(t => t.ToString("G3", CultureInfo.InvariantCulture)).ToArray());
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Median and interquartile range as numpy's default percentile gives them.</summary>
    public static (double Low, double Median, double High) Quartiles(List<double> values)
    {
        var sorted = values.Order().ToList();
        double At(double q)
        {
            // numpy's default percentile: linear between the two nearest ranks.
            var position = q * (sorted.Count - 1);
            var (below, above) = ((int)Math.Floor(position), (int)Math.Ceiling(position));
            if (below == above) return sorted[below];
            // A seed that never got there (infinitely many trials) makes a quantile that reaches it infinite.
            if (double.IsInfinity(sorted[above])) return double.PositiveInfinity;
            return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
        }
        return (At(0.25), At(0.5), At(0.75));
    }

    // bench/, found from the build output (bench/Sweeps.Bench/bin/<configuration>/<framework>/).
    public static string BenchFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "optuna-peer.py"))) return folder.FullName;
        throw new FileNotFoundException("bench/optuna-peer.py not found above " + AppContext.BaseDirectory);
    }
}
