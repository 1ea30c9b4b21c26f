namespace Sweeps.Search;

/// <summary>
/// The random generator of one proposal: seeded by the sampler's seed and the number of trials before it, so a proposal
/// depends on nothing but those and the trials (System.Random with a seed gives the same sequence on every machine).
/// </summary>
internal static class SamplerRandom
{
    public static Random For(int seed, int proposal) => new(unchecked(seed * 1_000_003 + proposal * 7_919 + 17));
}
