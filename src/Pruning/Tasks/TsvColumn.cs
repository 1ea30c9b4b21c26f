namespace Sweeps.Pruning.Tasks;

/// <summary>A column of a TSV file, by header name (files with a header) or by zero-based index (files without).</summary>
public sealed record TsvColumn(string? Name, int? Index)
{
    public static TsvColumn Named(string name) => new(name, null);
    public static TsvColumn At(int index) => new(null, index);

    public override string ToString() => Name ?? $"column {Index + 1}";
}
