namespace Sweeps.Search;

/// <summary>
/// The random generator of one proposal: seeded by the sampler's seed and the number of trials before it, so a proposal
/// depends on nothing but those and the trials (System.Random with a seed gives the same sequence on every machine).
/// </summary>
internal static class SamplerRandom
{
    public static Random For(int seed, int proposal)
    {
        // System.Random barely mixes its seed: seeds a fixed step apart give first draws that march in step. TPE's
        // candidates draw from a generator per proposal, so SplitMix64's finaliser mixes the seed and the proposal's
        // number first, and each proposal's draws are independent of the last one's. (Random points, TPE's startup
        // among them, are the successive draws of one generator instead: RandomSampler.)
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)proposal) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return new Random(unchecked((int)(z ^ (z >> 31))));
    }
}
