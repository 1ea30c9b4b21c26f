using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Pruning;

namespace Sweeps.Grains.Trials;

/// <summary>
/// The product's runner: SMP training with the engine's <see cref="TrialTrainer"/>, on folders this silo allows and
/// whose contents are still those the trial was submitted with.
/// </summary>
public sealed class EngineTrialRunner(TrialArtifactStore store, SweepsCache cache, IOptions<SweepsOptions> options) : ITrialRunner
{
    // In memory: a silo hashes a folder once per process, and again only when a file's size or time changes.
    private static readonly InputFingerprints Fingerprints = new();

    private readonly InputRoots roots = InputRoots.Parse(options.Value.InputRoots is { Length: > 0 } configured ? configured + "," + store.Root : "");

    public Task<TrialResult> RunAsync(TrialSpec spec, string torchDevice, string folder, IProgress<TrialProgress> progress, CancellationToken cancellation,
        CancellationToken stopEarly)
    {
        if (roots.Violations(spec.Model, spec.Data, spec.Distillation?.TeacherFolder).FirstOrDefault() is { } violation)
            throw new UnauthorizedAccessException(violation + " (the silo's Sweeps:InputRoots)");
        if (spec.Inputs is { } submitted)
        {
            var here = Fingerprints.OfTrial(spec.Model, spec.Data, spec.Distillation?.TeacherFolder);
            if (here != submitted)
                throw new InputsChangedException($"the model, data or teacher folder on this silo is not what the trial was submitted with " +
                    $"(inputs {here}, submitted {submitted}); submit the grid again to train on what is there now");
        }
        var config = TrialConfigFactory.Create(spec, store, torchDevice) with { CheckpointEverySteps = options.Value.CheckpointEverySteps };
        return TrialTrainer.RunAsync(config, folder, cache, progress, cancellation, stopEarly);
    }
}
