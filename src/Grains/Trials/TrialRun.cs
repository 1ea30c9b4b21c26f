using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Trials;

/// <summary>One attempt at a trial as a runner gets it: what to train, where, into which folder, within what memory.</summary>
/// <param name="TorchDevice">The leased device as the silo names it (cuda:1, cpu).</param>
/// <param name="Folder">The trial's folder in the artefact store (its checkpoint, when there is one, is resumed).</param>
/// <param name="MemoryCapBytes">The sweep's per-trial memory cap (<c>resources.memory</c>); null: the silo's default.</param>
public sealed record TrialRun(TrialSpec Spec, int Attempt, string TorchDevice, string Folder, long? MemoryCapBytes = null);
