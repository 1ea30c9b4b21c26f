namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// The grid's key for a setting whose property name, written in snake case, is not it (ScoreLearningRate is
/// <c>score_lr</c>): results, CSV, metrics labels and plots name a setting as the user wrote it in the grid. Only the
/// name shown changes; the trial's JSON, and so its id, keeps the property's name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class GridKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
