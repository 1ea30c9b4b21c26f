using ScottPlot;
using SkiaSharp;

namespace Sweeps.Reports;

/// <summary>Writes a figure of stacked panels — the keep-fraction plots and the search plots alike — as SVG or PNG.</summary>
public static class FigureFile
{
    public const int PanelWidth = 900, PanelHeight = 460;

    // Debian's fonts-dejavu-core; where it is missing, Skia falls back to what the system has.
    public const string Font = "DejaVu Sans";

    /// <summary>Writes <paramref name="panels"/>, one above the other, to <paramref name="path"/>: SVG or PNG, by its extension.</summary>
    /// <exception cref="ArgumentException">No panel to draw, or an extension other than .svg and .png.</exception>
    public static void Save(IReadOnlyList<Plot> panels, string path)
    {
        if (panels.Count == 0) throw new ArgumentException("the sweep has no finished trials to plot yet");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".svg" or ".png")) throw new ArgumentException($"--output {path}: the plot is written as SVG or PNG; name a .svg or .png file");
        using var stream = File.Create(path);
        if (extension == ".svg") WriteSvg(panels, stream, PanelWidth, PanelHeight);
        else WritePng(panels, stream);
    }

    /// <summary>The panels as one SVG document, each <paramref name="panelHeight"/> pixels high (what the web pages embed).</summary>
    public static byte[] Svg(IReadOnlyList<Plot> panels, int panelHeight = PanelHeight)
    {
        using var stream = new MemoryStream();
        WriteSvg(panels, stream, PanelWidth, panelHeight);
        return stream.ToArray();
    }

    private static void WriteSvg(IReadOnlyList<Plot> panels, Stream stream, int width, int panelHeight)
    {
        var height = panelHeight * panels.Count;
        // The canvas writes its closing tags when it is disposed: before the stream is read.
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
            Figure(panels).Render(canvas, new PixelRect(0, width, height, 0));
    }

    private static void WritePng(IReadOnlyList<Plot> panels, Stream stream)
    {
        var (width, height) = (PanelWidth, PanelHeight * panels.Count);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        Figure(panels).Render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        png.SaveTo(stream);
    }

    private static Multiplot Figure(IReadOnlyList<Plot> panels)
    {
        var figure = new Multiplot();
        figure.Subplots.RemoveAt(0); // a new Multiplot holds one empty plot
        foreach (var panel in panels) figure.Subplots.Add(panel);
        figure.Layout = new ScottPlot.MultiplotLayouts.Rows();
        return figure;
    }
}
