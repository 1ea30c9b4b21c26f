using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Tests.Trials;

public sealed class TrialConfigFactoryTests
{
    private static readonly TrainingSpec Training = new(2, 16, 64, 100, 50, 2e-2, 3e-3, 3e-5, 400, null, 0.5);

    [Fact]
    public void Create_StudentOfATeacherTrial_PointsAtTheTeachersFolderInTheStore()
    {
        var store = new TrialArtifactStore("/artefacts");
        var spec = new TrialSpec("spam-assassin", null, "minilm-l6-h384", "smp-l", 0.1, "linear",
            new DistillationSpec("0123456789abcdef", null, 2, 0.5, 0.5), 7, Training, "gpu-h100");

        var config = TrialConfigFactory.Create(spec, store, "cuda:1");

        Assert.Equal(PruningMethod.SmpLocal, config.Method);
        Assert.Equal(ClassifierMode.LinearHead, config.Classifier);
        Assert.Equal(store.FolderOf("0123456789abcdef"), config.Distillation!.TeacherFolder);
        Assert.Equal("cuda:1", config.Device);
        Assert.Equal((16, 64, 100, 50, 3e-3, 0.5), (config.BatchSize, config.MaxLength, config.TrainLimit, config.DevLimit, config.HeadLearningRate, config.PruneFraction));
    }

    [Fact]
    public void TrialId_DiffersWhenAnySettingDiffers()
    {
        var a = new TrialSpec("sst2", "/d", "m", "smp-s", 0.1, "mlm", null, 1, Training, "p");

        Assert.Equal(a.Id, (a with { }).Id);
        Assert.NotEqual(a.Id, (a with { Keep = 0.03 }).Id);
        Assert.NotEqual(a.Id, (a with { Seed = 2 }).Id);
        Assert.NotEqual(a.Id, (a with { Training = Training with { HeadLearningRate = 1e-2 } }).Id);
        Assert.Matches("^[0-9a-f]{16}$", a.Id);
    }
}
