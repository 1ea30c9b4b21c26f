using System.Globalization;
using System.Security;
using System.Text;

namespace Sweeps.SweepClient.Results;

/// <summary>
/// The paper's picture as SVG: per task, the dev metric against the keep fraction (log scale when it spans more than
/// a factor of 4), one line per method (± KD), each point the best trial of its cell.
/// </summary>
public static class MetricPlot
{
    private const int PanelWidth = 520, PanelHeight = 340, Left = 60, Right = 150, Top = 40, Bottom = 50;
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    public static string Svg(IReadOnlyList<TrialRow> rows)
    {
        var panels = ResultsWriter.Cells(rows).ToList();
        if (panels.Count == 0) throw new ArgumentException("the sweep has no finished trials to plot yet");
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{PanelWidth}\" height=\"{PanelHeight * panels.Count}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (var i = 0; i < panels.Count; i++) Panel(svg, panels[i], i * PanelHeight);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, (string Task, IReadOnlyList<string> Metrics, List<double> Keeps, List<(string Method, Dictionary<double, TrialRow> Best)> Cells) panel, int offset)
    {
        var (task, metric, keeps) = (panel.Task, panel.Metrics[0], panel.Keeps);
        var cells = panel.Cells.Select(c => (c.Method, Values: c.Best.ToDictionary(b => b.Key, b => b.Value.PrimaryMetric!.Value))).ToList();
        var values = cells.SelectMany(c => c.Values.Values).ToList();
        var (yMin, yMax) = (values.Min(), values.Max());
        if (yMax - yMin < 1e-9) (yMin, yMax) = (yMin - 0.01, yMax + 0.01);
        var logX = keeps.Max() / keeps.Min() > 4;
        double X(double keep)
        {
            var (lo, hi) = (keeps.Min(), keeps.Max());
            var t = hi - lo < 1e-12 ? 0.5 : logX ? (Math.Log(keep) - Math.Log(lo)) / (Math.Log(hi) - Math.Log(lo)) : (keep - lo) / (hi - lo);
            return Left + t * (PanelWidth - Left - Right);
        }
        double Y(double v) => offset + Top + (1 - (v - yMin) / (yMax - yMin)) * (PanelHeight - Top - Bottom);

        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{offset + 20}\" font-weight=\"bold\">{Escape(task)}: dev {Escape(metric)} vs keep fraction</text>\n"));
        var (x0, x1, yTop, yBottom) = (Left, PanelWidth - Right, offset + Top, offset + PanelHeight - Bottom);
        svg.Append(Invariant($"<path d=\"M{x0},{yTop} L{x0},{yBottom} L{x1},{yBottom}\" stroke=\"black\" fill=\"none\"/>\n"));
        foreach (var keep in keeps)
            svg.Append(Invariant($"<text x=\"{X(keep):0.#}\" y=\"{yBottom + 18}\" text-anchor=\"middle\">{keep * 100:0.#}%</text>\n"));
        for (var k = 0; k <= 4; k++)
        {
            var v = yMin + k * (yMax - yMin) / 4;
            svg.Append(Invariant($"<text x=\"{x0 - 6}\" y=\"{Y(v) + 4:0.#}\" text-anchor=\"end\">{v:0.000}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{(x0 + x1) / 2}\" y=\"{yBottom + 38}\" text-anchor=\"middle\">keep fraction{(logX ? " (log scale)" : "")}</text>\n"));
        for (var c = 0; c < cells.Count; c++)
        {
            var (method, points) = cells[c];
            var colour = Colours[c % Colours.Length];
            var ordered = points.OrderBy(p => p.Key).ToList();
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', ordered.Select(p => Invariant($"{X(p.Key):0.#},{Y(p.Value):0.#}")))}\"/>\n"));
            foreach (var p in ordered) svg.Append(Invariant($"<circle cx=\"{X(p.Key):0.#}\" cy=\"{Y(p.Value):0.#}\" r=\"3.5\" fill=\"{colour}\"><title>{Escape(method)} keep {p.Key:0.###}: {p.Value:0.0000}</title></circle>\n"));
            svg.Append(Invariant($"<rect x=\"{x1 + 12}\" y=\"{yTop + c * 18}\" width=\"12\" height=\"3\" fill=\"{colour}\"/><text x=\"{x1 + 30}\" y=\"{yTop + c * 18 + 5}\">{Escape(method)}</text>\n"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
