using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Training;

/// <summary>SMP on the real MiniLM and the real SpamAssassin task: a short trial must learn, not just predict "ham".</summary>
public sealed class MiniLmSpamTrialTests
{
    [Fact]
    public async Task Run_ShortSmpSTrialAtKeep70_DevAccuracyClearlyAboveMajorityClass()
    {
        var cache = SweepsCache.Default();
        var task = await SpamAssassinTask.LoadAsync(cache);
        var dev = task.Dev["dev"].Take(400).ToList();
        var majority = dev.GroupBy(e => e.Label).Max(g => g.Count()) / (double)dev.Count; // 0.695 on these 400
        using var output = new TemporaryFolder();
        var config = new TrialConfig
        {
            Task = task.Name,
            Method = PruningMethod.SmpScoreAllocated,
            Keep = 0.7,
            Epochs = 2,
            BatchSize = 8,
            MaxLength = 64,
            TrainLimit = 512,
            DevLimit = 400,
            HeadLearningRate = 3e-3,
        };

        var result = new TrialTrainer(config, task, BuiltInModels.Resolve(BuiltInModels.MiniLm, cache), output.Path, cache).Run();

        // Holds by a wide margin, not by one seed's luck: at keep 0.7 (τ = 4, the easy end of SMP) these 128 steps ended at
        // 0.920, 0.9225 and 0.9325 for seeds 1, 2 and 3 (Intel Xeon) and 0.905 for this seed (AMD EPYC), against 0.695
        // for always answering "ham"; the bar is 0.795. At this budget collapses to one class come at lower
        // keep fractions (docs/results.md).
        Assert.True(result.DevMetrics["accuracy"] >= majority + 0.10,
            $"dev accuracy {result.DevMetrics["accuracy"]:F3} is not clearly above the majority class {majority:F3}");
        Assert.Equal(0.7, result.AchievedKeepFraction, 3);
    }
}
