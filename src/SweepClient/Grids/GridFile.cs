using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.SweepClient.Grids;

/// <summary>grid.yaml → validated, expanded <see cref="SweepSpec"/>; every problem is reported at once.</summary>
public static class GridFile
{
    /// <exception cref="GridValidationException">The file has problems; each names file, line, column, key and what was expected.</exception>
    public static SweepSpec Load(string path, GridLimits? limits = null)
    {
        limits ??= new GridLimits();
        var (document, text) = GridReader.Read(path, limits);
        return GridExpander.Expand(document, path, text, limits);
    }
}
