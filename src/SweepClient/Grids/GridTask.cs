namespace Sweeps.SweepClient.Grids;

/// <summary>
/// One task of a grid: its name, its data folder (absent for the built-in task) and, optionally, the teacher its
/// distilled trials learn from instead of a dense trial of the sweep, with the teacher's label order.
/// </summary>
public sealed record GridTask(string Name, string? Data, string? Teacher = null, IReadOnlyList<string>? TeacherLabels = null);
