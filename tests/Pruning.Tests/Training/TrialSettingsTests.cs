using System.Text.Json;
using Sweeps.Pruning.Training;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>The one schema of trial settings: every training key reaches the engine's config, with its range.</summary>
public sealed class TrialSettingsTests
{
    private static readonly TrialConfig Defaults = new() { Task = "sst2" };

    public static TheoryData<string> TrainingKeys() => [.. TrialSettings.Training.Keys];

    [Theory]
    [MemberData(nameof(TrainingKeys))]
    public void EveryTrainingSetting_ChangesTheConfig(string key)
    {
        var setting = TrialSettings.Training[key];
        // A valid value unlike the default: the top of the range (for prune_hold_steps alone, with prune_steps unset).
        var value = setting.Max;
        var changed = Defaults.WithTraining(new Dictionary<string, double?> { [key] = value });

        Assert.NotEqual(JsonSerializer.Serialize(Defaults), JsonSerializer.Serialize(changed));
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), JsonSerializer.Serialize(changed));
    }

    [Theory]
    [MemberData(nameof(TrainingKeys))]
    public void EveryTrainingSetting_RefusesAValueOutsideItsRange_NamingTheKey(string key)
    {
        var setting = TrialSettings.Training[key];
        var error = Assert.Throws<ArgumentException>(() => Defaults.WithTraining(new Dictionary<string, double?> { [key] = setting.Max * 2 }));
        Assert.StartsWith($"{key} = ", error.Message);
    }

    [Fact]
    public void TheConfigsDefaults_AreTheSettingsDefaults()
    {
        var given = TrialSettings.Training.Values.Where(s => s.Default is not null).ToDictionary(s => s.Key, s => s.Default);
        Assert.Equal(JsonSerializer.Serialize(Defaults), JsonSerializer.Serialize(Defaults.WithTraining(given)));
        Assert.Equal(TrialSettings.Keep.Value, Defaults.Keep);
        Assert.Equal(TrialSettings.Seed.IntValue, Defaults.Seed);
        Assert.Equal(TrialSettings.AlphaKd.Value, new DistillationSettings("teacher").AlphaKd);
    }

    [Fact]
    public void UnsetSettings_LeaveTheConfigAsItIs()
    {
        var unset = TrialSettings.Training.Keys.ToDictionary(k => k, _ => (double?)null);
        Assert.Equal(Defaults, Defaults.WithTraining(unset));
    }
}
