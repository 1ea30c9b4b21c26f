using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// What a sweep was asked to run, written once at submission: when, by whom, and where its spec is. The spec itself is
/// in the trial store (<see cref="SpecInTrialStore"/>: compact, in parts); sweeps submitted before that keep it here.
/// </summary>
[GenerateSerializer, Alias("sweeps.SweepDefinition")]
public sealed class SweepDefinition
{
    /// <summary>The spec of a sweep submitted before specs moved to the trial store; null for later ones.</summary>
    [Id(0)] public SweepSpec? Spec { get; set; }

    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>Who submitted it (<see cref="Interfaces.Sweeps.SweepStatus.Owner"/>); empty for sweeps of a plaintext cluster.</summary>
    [Id(2)] public string Owner { get; set; } = "";

    /// <summary>The spec is in the trial store (<see cref="Storage.Trials.ITrialStore.ReadSpecAsync"/>), written before this definition.</summary>
    [Id(3)] public bool SpecInTrialStore { get; set; }
}
