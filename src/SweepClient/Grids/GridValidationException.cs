namespace Sweeps.SweepClient.Grids;

/// <summary>A grid file with one or more problems; all of them are listed, nothing is submitted.</summary>
public sealed class GridValidationException(IReadOnlyList<GridError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<GridError> Errors { get; } = errors;
}
