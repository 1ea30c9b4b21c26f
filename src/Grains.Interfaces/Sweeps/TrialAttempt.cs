namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>One attempt at a trial: where it ran and how it ended.</summary>
/// <param name="Number">1 for the first attempt; a trial that resumes from its checkpoint elsewhere counts a new one.</param>
/// <param name="Silo">The silo it ran on, once its start was answered.</param>
/// <param name="Ending">How it ended (done, stopped early, failed: why, interrupted, lost, cancelled); null while it runs.</param>
[GenerateSerializer, Immutable, Alias("sweeps.TrialAttempt")]
public sealed record TrialAttempt(
    [property: Id(0)] int Number,
    [property: Id(1)] string? Silo,
    [property: Id(2)] string? Device,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset? EndedAt,
    [property: Id(5)] string? Ending);
