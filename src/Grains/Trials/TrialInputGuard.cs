using Microsoft.Extensions.Options;
using Sweeps.Artifacts;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Trials;

namespace Sweeps.Grains.Trials;

/// <summary>
/// What a silo checks before it trains a trial: its model, data and teacher lie in folders this silo allows, and hold
/// what the trial was submitted with; then the engine's configuration for the device it trains on.
/// </summary>
public sealed class TrialInputGuard(TrialArtifactStore store, IOptions<SweepsOptions> options)
{
    // In memory: a silo hashes a folder once per process, and again only when a file's size or time changes.
    private static readonly InputFingerprints Fingerprints = new();

    private readonly InputRoots roots = InputRoots.Parse(options.Value.InputRoots is { Length: > 0 } configured ? configured + "," + store.Root : "");

    /// <summary>The trial's engine configuration on <paramref name="device"/>; throws when its inputs may not or no longer be read.</summary>
    public Pruning.Training.TrialConfig Check(TrialSpec spec, string device)
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
        return TrialConfigFactory.Create(spec, store, device) with { CheckpointEverySteps = options.Value.CheckpointEverySteps };
    }
}
