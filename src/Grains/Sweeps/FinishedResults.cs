using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Every trial of a sweep that has a result, in the order they got it, kept as what result cells read and no more: the
/// best and the final evaluation's metric values (their names shared by the trials of a task), the achieved keep,
/// whether each collapsed and whether early stopping ended it. A sweep of 100,000 trials holds 100,000 of these, so
/// each is a few dozen bytes rather than the trial's whole outcome.
/// <para>
/// The result cells are kept incrementally: a read files the results that arrived since the last one into their cells
/// and summarises again only the cells that changed, so a new result costs its own cell, not the sweep. Appended on the
/// sweep's turn; <see cref="Cells"/> may be read from another thread (a scrape, a read off the turn), and reads only
/// entries complete when it began.
/// </para>
/// </summary>
public sealed class FinishedResults(IReadOnlyList<TrialSpec> trials)
{
    private readonly List<Entry> entries = [];
    private readonly Dictionary<string, string[]> names = [];

    // Below: the cells, touched only under cellsLock.
    private readonly Lock cellsLock = new();
    private readonly Dictionary<(string Task, string Method, bool Distilled, double Keep), Group> groups = [];
    private readonly List<Group> groupOrder = [];
    /// <summary>Cells by a 128-bit hash of their key (the key's JSON is hundreds of bytes, and a search may have a cell per trial).</summary>
    private readonly Dictionary<UInt128, Cell> cellsByKey = [];
    private readonly Dictionary<MetricSelection, Summaries> summaries = [];
    /// <summary>How many entries are filed into cells.</summary>
    private int filed;
    /// <summary>Counts every change to a cell, so a read with none since the last returns the same list.</summary>
    private int changes;

    public void Add(int trialIndex, TrialOutcome outcome)
    {
        var best = outcome.Metrics;
        // Final metrics named as the best ones (always, for results of this engine); else the best stand in, as an outcome without final metrics reads.
        var final = outcome.FinalMetrics is { } f && f.Select(m => m.Key).SequenceEqual(best.Select(m => m.Key)) ? f.Select(m => m.Value).ToArray() : null;
        var key = string.Join('\t', best.Select(m => m.Key));
        if (!names.TryGetValue(key, out var shared)) names[key] = shared = best.Select(m => m.Key).ToArray();
        entries.Add(new Entry(trialIndex, shared, best.Select(m => m.Value).ToArray(), final, outcome.AchievedKeepFraction,
            outcome.Collapsed, outcome.FinalCollapsed, outcome.StoppedAtStep));
    }

    /// <summary>The result cells under <paramref name="select"/>, as <see cref="ResultCells.From"/> groups them, in the order their first results arrived.</summary>
    public IReadOnlyList<ResultCell> Cells(MetricSelection select)
    {
        var count = entries.Count;
        lock (cellsLock)
        {
            FileNewResults(count);
            if (!summaries.TryGetValue(select, out var summary)) summaries[select] = summary = new Summaries();
            if (summary.Changes == changes && summary.Cells is { } unchanged) return unchanged;
            var cells = new List<ResultCell>(cellsByKey.Count);
            foreach (var group in groupOrder)
                foreach (var cell in group.Cells)
                {
                    if (!summary.ByCell.TryGetValue(cell, out var known) || known.Version != cell.Version)
                        summary.ByCell[cell] = known = (cell.Version, ResultCells.Summarise(cell.Entries.Select(Read), cell.Varied, select));
                    cells.Add(known.Cell);
                }
            summary.Changes = changes;
            summary.Cells = cells;
            return cells;
        }
    }

    // Files entries [filed, count) into their cells. A cell's settings are read from its key's JSON once, when it is new;
    // when a new cell makes a setting differ that did not, every cell of its group is named again, once, after the rest.
    private void FileNewResults(int count)
    {
        var renamed = new List<Group>();
        for (; filed < count; filed++)
        {
            var spec = trials[entries[filed].TrialIndex];
            var key = ResultCells.CellKey(spec);
            var hash = BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            if (!cellsByKey.TryGetValue(hash, out var cell))
            {
                var groupKey = (spec.Task, spec.Method, spec.Distillation is not null, spec.Keep);
                if (!groups.TryGetValue(groupKey, out var group))
                {
                    groups[groupKey] = group = new Group();
                    groupOrder.Add(group);
                }
                var settings = ResultCells.SettingsOfCell(key);
                cellsByKey[hash] = cell = new Cell(entries[filed].TrialIndex);
                group.Cells.Add(cell);
                if (group.Varied.Add(settings)) { if (!renamed.Contains(group)) renamed.Add(group); }
                else cell.Varied = group.Varied.Of(settings);
            }
            cell.Entries.Add(filed);
            cell.Version++;
            changes++;
        }
        foreach (var group in renamed)
            foreach (var cell in group.Cells)
            {
                cell.Varied = group.Varied.Of(ResultCells.SettingsOfCell(ResultCells.CellKey(trials[cell.FirstTrial])));
                cell.Version++;
                changes++;
            }
    }

    // One entry as a (spec, outcome) pair with what the cells read: best and final metrics, collapse flags, achieved
    // keep, early stop. The list only grows and an entry is never written again, so the first `count` stay valid.
    private (TrialSpec Spec, TrialOutcome Outcome) Read(int index)
    {
        var e = entries[index];
        return (trials[e.TrialIndex], new TrialOutcome(Pairs(e.Names, e.Best), e.AchievedKeep, 0, 0, 0, 0, 0)
        {
            FinalMetrics = e.Final is null ? null : Pairs(e.Names, e.Final), Collapsed = e.Collapsed, FinalCollapsed = e.FinalCollapsed, StoppedAtStep = e.StoppedAtStep,
        });
    }

    private static List<KeyValuePair<string, double>> Pairs(string[] names, double[] values) =>
        names.Zip(values, (n, v) => new KeyValuePair<string, double>(n, v)).ToList();

    private readonly record struct Entry(int TrialIndex, string[] Names, double[] Best, double[]? Final, double AchievedKeep, bool Collapsed, bool FinalCollapsed, int? StoppedAtStep);

    /// <summary>The cells of one task, method, distillation and keep, in the order their first results arrived, and what sets them apart.</summary>
    private sealed class Group
    {
        public List<Cell> Cells { get; } = [];
        public VariedSettings Varied { get; } = new();
    }

    /// <summary>One cell's results (indices into the entries) and its settings; <see cref="Version"/> counts its changes.</summary>
    private sealed class Cell(int firstTrial)
    {
        /// <summary>A trial of this cell, to read its settings again from.</summary>
        public int FirstTrial { get; } = firstTrial;
        public List<int> Entries { get; } = [];
        public IReadOnlyList<KeyValuePair<string, string>> Varied { get; set; } = [];
        public int Version { get; set; }
    }

    /// <summary>The cells as last summarised under one selection, each with the version of the cell it summarised.</summary>
    private sealed class Summaries
    {
        public Dictionary<Cell, (int Version, ResultCell Cell)> ByCell { get; } = [];
        public int Changes { get; set; } = -1;
        public IReadOnlyList<ResultCell>? Cells { get; set; }
    }
}
