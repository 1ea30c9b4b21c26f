using MathNet.Numerics.Distributions;

namespace Sweeps.Search;

/// <summary>A normal distribution cut to [0, 1] and renormalised: the kernel of the TPE sampler's Parzen estimators.</summary>
internal static class TruncatedNormal
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>A draw of N(mu, sigma²) conditioned on [0, 1], by the inverse CDF.</summary>
    public static double Sample(Random random, double mu, double sigma)
    {
        var (a, b) = (-mu / sigma, (1 - mu) / sigma);
        // Drawn on the side of zero where the CDF keeps its precision: a tail far right is mirrored left.
        var mirrored = a > 0;
        if (mirrored) (a, b) = (-b, -a);
        var (pa, pb) = (Normal.CDF(0, 1, a), Normal.CDF(0, 1, b));
        var z = Normal.InvCDF(0, 1, pa + random.NextDouble() * (pb - pa));
        if (double.IsNaN(z) || double.IsInfinity(z)) z = (a + b) / 2;
        z = Math.Clamp(z, a, b);
        return Math.Clamp(mu + sigma * (mirrored ? -z : z), 0, 1);
    }

    /// <summary>log of the normal's mass on [0, 1]: what every density of the kernel is divided by.</summary>
    public static double LogNormaliser(double mu, double sigma) => LogMass(-mu / sigma, (1 - mu) / sigma);

    /// <summary>log of the density at <paramref name="x"/> ∈ [0, 1], given the kernel's <see cref="LogNormaliser"/>.</summary>
    public static double LogPdf(double x, double mu, double sigma, double logNormaliser)
    {
        var z = (x - mu) / sigma;
        return -0.5 * z * z - LogSqrtTwoPi - Math.Log(sigma) - logNormaliser;
    }

    /// <summary>log of the probability of [lo, hi] ⊆ [0, 1] (an integer's share of the unit interval), given the kernel's <see cref="LogNormaliser"/>.</summary>
    public static double LogProbability(double lo, double hi, double mu, double sigma, double logNormaliser) =>
        LogMass((lo - mu) / sigma, (hi - mu) / sigma) - logNormaliser;

    /// <summary>log(Φ(b) − Φ(a)) for a &lt; b, taken on the side of zero where it keeps its precision.</summary>
    private static double LogMass(double a, double b)
    {
        if (a > 0) (a, b) = (-b, -a);
        var mass = Normal.CDF(0, 1, b) - Normal.CDF(0, 1, a);
        return Math.Log(Math.Max(mass, 1e-300));
    }
}
