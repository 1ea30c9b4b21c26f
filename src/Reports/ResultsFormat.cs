namespace Sweeps.Reports;

/// <summary>How results are printed.</summary>
public enum ResultsFormat
{
    Table,
    Markdown,
    Csv,
    Json,
}
