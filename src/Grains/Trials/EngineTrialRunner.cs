using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>The product's runner: SMP training with the engine's <see cref="TrialTrainer"/>, on folders this silo allows.</summary>
public sealed class EngineTrialRunner(TrialArtifactStore store, SweepsCache cache, IOptions<SweepsOptions> options) : ITrialRunner
{
    private readonly InputRoots roots = InputRoots.Parse(options.Value.InputRoots is { Length: > 0 } configured ? configured + "," + store.Root : "");

    public Task<TrialResult> RunAsync(TrialSpec spec, string torchDevice, string folder, IProgress<TrialProgress> progress, CancellationToken cancellation)
    {
        if (roots.Violations(spec).FirstOrDefault() is { } violation)
            throw new UnauthorizedAccessException(violation + " (the silo's Sweeps:InputRoots)");
        var config = TrialConfigFactory.Create(spec, store, torchDevice) with { CheckpointEverySteps = options.Value.CheckpointEverySteps };
        return TrialTrainer.RunAsync(config, folder, cache, progress, cancellation);
    }
}
