namespace Sweeps.Grains.Interfaces.Results;

/// <summary>
/// For the cells of one task, method, distillation and keep: the settings in which they differ, learnt one cell at a
/// time, so a sweep whose results arrive one by one never compares every cell with every other again. A setting
/// differs once any cell's value of it is not the first cell's; a cell without a setting has its default value.
/// </summary>
public sealed class VariedSettings
{
    // What a setting left out of a trial's JSON when it has its default means (TrialSpec.Precision: null is fp32).
    private static readonly Dictionary<string, string> OmittedValues = new() { ["precision"] = "fp32" };

    /// <summary>Every setting seen, in the order first seen: the order the cells name them in.</summary>
    private readonly List<string> names = [];
    /// <summary>Each setting's value in the first cell (its default there, for a setting first seen in a later cell).</summary>
    private readonly Dictionary<string, string> firstValues = [];
    private readonly HashSet<string> differing = [];
    private int cells;

    /// <summary>Adds one cell's settings (as <see cref="ResultCells.SettingsOfCell"/> gives them).</summary>
    /// <returns>Whether a setting now differs that did not before: every cell's <see cref="Of"/> must then be asked again.</returns>
    public bool Add(IReadOnlyDictionary<string, string> settings)
    {
        var before = differing.Count;
        foreach (var name in settings.Keys)
            if (firstValues.TryAdd(name, cells == 0 ? settings[name] : Default(name))) names.Add(name);
        foreach (var name in names)
            if (!differing.Contains(name) && ValueOf(settings, name) != firstValues[name]) differing.Add(name);
        cells++;
        return differing.Count != before;
    }

    /// <summary>What sets one cell apart from the others added so far, as (setting, value) pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Of(IReadOnlyDictionary<string, string> settings) =>
        names.Where(differing.Contains).Select(name => new KeyValuePair<string, string>(name, ValueOf(settings, name))).ToList();

    private static string ValueOf(IReadOnlyDictionary<string, string> settings, string name) => settings.TryGetValue(name, out var value) ? value : Default(name);

    private static string Default(string name) => OmittedValues.GetValueOrDefault(name, "–");
}
