using Sweeps.Artifacts;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Grains.Workers;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;
using Sweeps.Testing;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>
/// Trials that fail in the ways real ones do — the loss turns NaN, the data folder is gone, the model file is truncated,
/// the device runs out of memory — are retried up to the limit, then marked failed with their reason; their slots are
/// freed and the healthy trial beside them finishes. All but the out-of-memory run the real engine on the tiny BERT, each
/// attempt in its own worker process.
/// </summary>
public sealed class FailingTrialTests
{
    [Fact]
    public async Task FailingTrials_FailWithTheirReasonAfterTheRetryLimit_FreeTheirSlots_AndTheRestFinish()
    {
        using var tiny = new TinyBert();
        using var work = new TemporaryFolder();
        var cluster = new TemporaryFolder();
        var data = TinyTasks.WriteSst2Folder(work, repeats: 4);
        var truncated = TruncatedCopy(tiny.Directory, Path.Combine(work.Path, "truncated-model"));
        var training = SweepSpecs.Training with { Epochs = 2 };

        var healthy = SweepSpecs.Trial("smp-s", 0.5, 1, model: tiny.Directory, data: data, training: training);
        // Fine-tuning at the highest learning rate allowed: the weights blow up and the loss turns NaN within a few steps.
        var nanLoss = SweepSpecs.Trial("dense", 1, 2, model: tiny.Directory, data: data, training: training with { HeadLearningRate = 1e6, WeightLearningRate = 1e6 });
        var vanishedData = SweepSpecs.Trial("smp-s", 0.5, 3, model: tiny.Directory, data: Path.Combine(work.Path, "vanished"), training: training);
        var brokenModel = SweepSpecs.Trial("smp-s", 0.5, 4, model: truncated, data: data, training: training);
        var outOfMemory = SweepSpecs.Trial("smp-s", 0.5, 5, model: tiny.Directory, data: data, training: training);
        // Submitted with a fingerprint of other contents than the folders hold now: the silo refuses to train it.
        var changedInputs = SweepSpecs.Trial("smp-s", 0.5, 6, model: tiny.Directory, data: data, training: training) with { Inputs = "0000000000000000" };
        var spec = new SweepSpec("failing", "test", "", [healthy, nanLoss, vanishedData, brokenModel, outOfMemory, changedInputs], new ResourceSpec("cpu", 1), 0, RetryLimit: 1);

        await using var sweeps = await SweepTestCluster.StartAsync([0, 2], folder: cluster,
            runnerOf: services => new OutOfMemoryFor(outOfMemory.Id, ActivatorUtilities.CreateInstance<WorkerTrialRunner>(services)));
        await sweeps.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec)).Submit(spec);
        var status = await sweeps.WaitUntilFinished(SweepIds.Of(spec), TimeSpan.FromMinutes(3));

        TrialStatus Of(TrialSpec trial) => status.Trials.Single(t => t.Spec.Id == trial.Id);
        Assert.Equal(TrialState.Done, Of(healthy).State);
        Assert.Equal(1, Of(healthy).Attempts);
        foreach (var (trial, reason) in new[] { (nanLoss, "the loss became"), (vanishedData, "vanished"), (brokenModel, "model.safetensors"), (outOfMemory, "out of memory"), (changedInputs, "not what the trial was submitted with") })
        {
            var failed = Of(trial);
            Assert.Equal(TrialState.Failed, failed.State);
            Assert.Equal(2, failed.Attempts); // the first try and one retry
            Assert.True(failed.Error?.Contains(reason, StringComparison.OrdinalIgnoreCase) == true, $"seed {trial.Seed}: '{failed.Error}' does not say '{reason}'");
        }
        Assert.All(sweeps.SlotManagers().Values, slots => Assert.Equal(0, slots.Busy));
        Assert.All(await sweeps.Client.GetGrain<ICapacityGrain>(0).GetUsage(), usage => Assert.Equal(0, usage.Busy));
    }

    /// <summary>A copy of a model folder whose weights file lost its second half, as an interrupted copy leaves it.</summary>
    private static string TruncatedCopy(string model, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(model)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var weights = Path.Combine(target, "model.safetensors");
        using (var stream = new FileStream(weights, FileMode.Open)) stream.SetLength(stream.Length / 2);
        return target;
    }

    /// <summary>The product's runner (a worker per attempt), except that one trial meets the error libtorch raises when a device's memory runs out.</summary>
    private sealed class OutOfMemoryFor(string trialId, ITrialRunner engine) : ITrialRunner
    {
        public Task<TrialResult> RunAsync(TrialRun run, IProgress<TrialProgress> progress, CancellationToken cancellation, CancellationToken stopEarly) =>
            run.Spec.Id == trialId
                ? throw new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity)")
                : engine.RunAsync(run, progress, cancellation, stopEarly);
    }
}
