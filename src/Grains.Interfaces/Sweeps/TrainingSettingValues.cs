using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// Reads and sets a trial's training settings by their grid keys (<c>score_lr</c>, <c>batch_size</c>): how a
/// search's proposed values become trials on the server, as the grid would have written them.
/// </summary>
public static class TrainingSettingValues
{
    private static readonly IReadOnlyDictionary<string, PropertyInfo> ByKey = typeof(TrainingSpec)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .ToDictionary(p => ResultCells.SettingName(p.Name));

    /// <summary>True when <paramref name="key"/> names a training setting.</summary>
    public static bool Knows(string key) => ByKey.ContainsKey(key);

    /// <summary>The setting's value (null when unset).</summary>
    public static double? Read(TrainingSpec training, string key) => ByKey[key].GetValue(training) switch
    {
        null => null,
        int i => i,
        double d => d,
        var other => throw new InvalidOperationException($"training setting {key} is a {other.GetType().Name}, not a number"),
    };

    /// <summary>The settings with these values (an integer setting's value rounded), every other setting as it was.</summary>
    /// <exception cref="ArgumentException">A key that names no training setting.</exception>
    public static TrainingSpec With(TrainingSpec training, IReadOnlyDictionary<string, double> values)
    {
        var json = JsonSerializer.SerializeToNode(training)!.AsObject();
        foreach (var (key, value) in values)
        {
            if (!ByKey.TryGetValue(key, out var property)) throw new ArgumentException($"{key} is not a training setting", nameof(values));
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            json[property.Name] = type == typeof(int) ? JsonValue.Create((int)Math.Round(value)) : JsonValue.Create(value);
        }
        return json.Deserialize<TrainingSpec>()!;
    }
}
