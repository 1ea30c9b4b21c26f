namespace Sweeps.Reports;

/// <summary>How `sweep list` prints: a table for people, CSV or JSON for scripts.</summary>
public enum ListFormat
{
    Table,
    Csv,
    Json,
}
