namespace Sweeps.Search;

/// <summary>
/// The Sobol sequence in up to <see cref="MaxDimensions"/> dimensions, 32 bits per coordinate, generated in Gray-code
/// order (Antonov and Saleev), from the direction numbers of S. Joe and F. Y. Kuo, "Constructing Sobol sequences with
/// better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635–2654 (their file new-joe-kuo-6.21201,
/// first rows). A seed gives a digital shift — every coordinate XORed with a seeded random word — which keeps the
/// sequence's even spread and makes seeds give different points; seed 0 is the unshifted sequence.
/// </summary>
public sealed class SobolSequence
{
    private const int Bits = 32;

    // Dimension 1 is the van der Corput sequence in base 2; each row below is one further dimension: the degree s of
    // its primitive polynomial, the polynomial's inner coefficients a (bits), and the initial direction numbers m_1…m_s.
    private static readonly (int S, int A, int[] M)[] JoeKuo =
    [
        (1, 0, [1]),
        (2, 1, [1, 3]),
        (3, 1, [1, 3, 1]),
        (3, 2, [1, 1, 1]),
        (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]),
        (5, 2, [1, 1, 5, 5, 17]),
        (5, 4, [1, 1, 5, 5, 5]),
        (5, 7, [1, 1, 7, 11, 19]),
    ];

    public static int MaxDimensions => JoeKuo.Length + 1;

    private readonly uint[][] directions;
    private readonly uint[] current;
    private readonly uint[] shift;
    private uint index;

    public SobolSequence(int dimensions, int seed = 0)
    {
        if (dimensions < 1 || dimensions > MaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"the Sobol sequence here has 1 to {MaxDimensions} dimensions, not {dimensions}");
        directions = new uint[dimensions][];
        directions[0] = Enumerable.Range(1, Bits).Select(k => 1u << (Bits - k)).ToArray();
        for (var d = 1; d < dimensions; d++) directions[d] = Directions(JoeKuo[d - 1]);
        current = new uint[dimensions];
        var random = new Random(seed);
        shift = Enumerable.Range(0, dimensions).Select(_ => seed == 0 ? 0u : (uint)random.NextInt64(0, 1L << Bits)).ToArray();
    }

    /// <summary>The next point, each coordinate in [0, 1); the first is the origin (shifted).</summary>
    public double[] Next()
    {
        var point = current.Select((x, d) => (x ^ shift[d]) / 4294967296.0).ToArray();
        // The next point differs from this one in the direction of the lowest zero bit of the index (Gray code).
        var bit = System.Numerics.BitOperations.TrailingZeroCount(~index);
        if (bit >= Bits) throw new InvalidOperationException($"the Sobol sequence is exhausted after 2^{Bits} points");
        for (var d = 0; d < current.Length; d++) current[d] ^= directions[d][bit];
        index++;
        return point;
    }

    /// <summary>V_k = m_k · 2^(32−k), the m_k past the initial ones from the polynomial's recurrence.</summary>
    private static uint[] Directions((int S, int A, int[] M) row)
    {
        var (s, a, initial) = row;
        var m = new uint[Bits + 1];
        for (var k = 1; k <= s; k++) m[k] = (uint)initial[k - 1];
        for (var k = s + 1; k <= Bits; k++)
        {
            var value = m[k - s] ^ (m[k - s] << s);
            for (var j = 1; j < s; j++)
                if (((a >> (s - 1 - j)) & 1) == 1) value ^= m[k - j] << j;
            m[k] = value;
        }
        return Enumerable.Range(1, Bits).Select(k => m[k] << (Bits - k)).ToArray();
    }
}
