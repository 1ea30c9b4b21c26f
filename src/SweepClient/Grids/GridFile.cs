using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Trials;
using Sweeps.Pruning;

namespace Sweeps.SweepClient.Grids;

/// <summary>grid.yaml → validated, expanded <see cref="SweepSpec"/>; every problem is reported at once.</summary>
public static class GridFile
{
    /// <exception cref="GridValidationException">The file has problems; each names file, line, column, key and what was expected.</exception>
    /// <remarks>
    /// Where the paths are checked here (<see cref="GridLimits.CheckPaths"/>), each trial's inputs are fingerprinted
    /// into its id (with <paramref name="fingerprints"/>, or a cache under the default cache folder).
    /// </remarks>
    public static SweepSpec Load(string path, GridLimits? limits = null, InputFingerprints? fingerprints = null)
    {
        limits ??= new GridLimits();
        var (document, text) = GridReader.Read(path, limits);
        if (!limits.CheckPaths) return GridExpander.Expand(document, path, text, limits);
        fingerprints ??= InputFingerprints.InCache(SweepsCache.Default());
        try
        {
            return GridExpander.Expand(document, path, text, limits, fingerprints);
        }
        catch (InputFileException e)
        {
            throw new GridValidationException([new GridError(path, 1, 1, "inputs", e.Message)]);
        }
        finally
        {
            fingerprints.Save();
        }
    }
}
