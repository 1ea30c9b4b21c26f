using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>What a sweep was asked to run; written once at submission, apart from the trial records that change as it runs.</summary>
[GenerateSerializer, Alias("sweeps.SweepDefinition")]
public sealed class SweepDefinition
{
    [Id(0)] public SweepSpec? Spec { get; set; }

    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>Who submitted it (<see cref="Interfaces.Sweeps.SweepStatus.Owner"/>); empty for sweeps of a plaintext cluster.</summary>
    [Id(2)] public string Owner { get; set; } = "";
}
