using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>What a sweep was asked to run; written once at submission, apart from the trial records that change as it runs.</summary>
[GenerateSerializer, Alias("sweeps.SweepDefinition")]
public sealed class SweepDefinition
{
    [Id(0)] public SweepSpec? Spec { get; set; }

    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }
}
