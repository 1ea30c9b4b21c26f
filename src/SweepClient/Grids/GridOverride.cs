using System.Globalization;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.SweepClient.Grids;

/// <summary>
/// One entry of a grid's <c>overrides</c>: the training settings that the trials matching <see cref="When"/> take in
/// place of the grid's own.
/// </summary>
/// <param name="When">Per match key (task, method, keep, distillation, classifier, precision), the values that match, canonically spelled; a trial matches when it matches every key given.</param>
/// <param name="Training">Training key → value (null: unset) for the matching trials.</param>
/// <param name="Line">Where the override starts in the grid file, for errors.</param>
public sealed record GridOverride(IReadOnlyDictionary<string, IReadOnlyList<string>> When, IReadOnlyDictionary<string, double?> Training, int Line, int Column)
{
    public bool Matches(string task, string method, double keep, bool distilled, string classifier, string precision) => When.All(w => w.Key switch
    {
        "task" => w.Value.Contains(task),
        "method" => w.Value.Contains(method),
        "keep" => w.Value.Any(v => Math.Abs(double.Parse(v, CultureInfo.InvariantCulture) - keep) < 1e-9),
        "distillation" => w.Value.Contains(distilled ? "teacher" : "off"),
        "classifier" => w.Value.Contains(classifier),
        "precision" => w.Value.Contains(precision),
        _ => false,
    });
}
