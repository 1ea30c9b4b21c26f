namespace Sweeps.SweepClient.Results;

/// <summary>How results are printed.</summary>
public enum ResultsFormat
{
    Table,
    Markdown,
    Csv,
    Json,
}
