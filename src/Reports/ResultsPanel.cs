using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>One task's part of the results: what the table and the plot draw.</summary>
public sealed record ResultsPanel(string Task, IReadOnlyList<string> Metrics, IReadOnlyList<double> Keeps, IReadOnlyList<string> Rows, IReadOnlyList<ResultCell> Cells)
{
    public ResultCell? Cell(string row, double keep) => Cells.FirstOrDefault(c => c.Row == row && c.Keep == keep);
}
