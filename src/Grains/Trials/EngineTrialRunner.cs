using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>The product's runner: SMP training with the engine's <see cref="TrialTrainer"/>.</summary>
public sealed class EngineTrialRunner(TrialArtifactStore store, SweepsCache cache, IOptions<SweepsOptions> options) : ITrialRunner
{
    public Task<TrialResult> RunAsync(TrialSpec spec, string torchDevice, string folder, IProgress<TrialProgress> progress, CancellationToken cancellation)
    {
        var config = TrialConfigFactory.Create(spec, store, torchDevice) with { CheckpointEverySteps = options.Value.CheckpointEverySteps };
        return TrialTrainer.RunAsync(config, folder, cache, progress, cancellation);
    }
}
