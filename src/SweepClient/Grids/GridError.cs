namespace Sweeps.SweepClient.Grids;

/// <summary>One problem in a grid file, located by line and column (1-based) and the key it concerns.</summary>
public sealed record GridError(string File, int Line, int Column, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Key}: {Message}";
}
