using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.SweepClient.Tests.Results;

/// <summary>Results name every training setting by the key the grid gives it (TrialSettings, the one definition), never by a property's name.</summary>
public sealed class SettingNamesTests
{
    [Fact]
    public void EveryTrainingSetting_IsNamedByItsGridKey_AndEveryGridKeyNamesOne()
    {
        var named = typeof(TrainingSpec).GetConstructors().Single().GetParameters().Select(p => ResultCells.SettingName(p.Name!)).ToList();

        Assert.Equal(TrialSettings.Training.Keys.Order(), named.Order());
    }

    [Fact]
    public void EveryDistillationSetting_IsNamedByItsGridKey()
    {
        var settings = new[] { nameof(DistillationSpec.Temperature), nameof(DistillationSpec.AlphaKd), nameof(DistillationSpec.AlphaCe) }
            .Select(p => "distillation." + ResultCells.SettingName(p));

        Assert.Equal(TrialSettings.Distillation.Select(s => s.Key).Order(), settings.Order());
    }

    [Fact]
    public void AllSettings_OfATrial_UseTheGridsKeys()
    {
        var spec = new TrialSpec("sst2", null, "minilm", "smp-s", 0.5, "linear", null, 1,
            new TrainingSpec(1, 8, 16, null, null, 1e-2, 1e-3, 3e-5, 400, null, 0.5, TransformersAdamW: 1), "default");

        var names = ResultCells.AllSettings(spec).Select(s => s.Key).ToList();

        Assert.Contains("score_lr", names);
        Assert.Contains("transformers_adamw", names);
        Assert.DoesNotContain("score_learning_rate", names);
    }
}
