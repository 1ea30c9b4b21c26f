using ScottPlot;
using SkiaSharp;

namespace Sweeps.SweepClient.Results;

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

        var figure = new Multiplot();
        figure.Subplots.RemoveAt(0); // a new Multiplot holds one empty plot
        foreach (var panel in panels) figure.Subplots.Add(panel);
        figure.Layout = new ScottPlot.MultiplotLayouts.Rows();
        var (width, height) = (PanelWidth, PanelHeight * panels.Count);
        var area = new PixelRect(0, width, height, 0);
        if (extension == ".svg")
        {
            using var stream = File.Create(path);
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream);
            figure.Render(canvas, area);
        }
        else
        {
            using var surface = SKSurface.Create(new SKImageInfo(width, height));
            figure.Render(surface.Canvas, area);
            using var image = surface.Snapshot();
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            using var stream = File.Create(path);
            png.SaveTo(stream);
        }
    }
}
