using System.Globalization;

namespace Sweeps.Search;

/// <summary>How a sampled training setting's values are drawn.</summary>
public enum DistributionKind
{
    /// <summary>Uniform on [low, high].</summary>
    Uniform,
    /// <summary>Uniform in log space on [low, high] (low &gt; 0): as many draws in [1e-3, 1e-2] as in [1e-2, 1e-1].</summary>
    LogUniform,
    /// <summary>An integer uniform on {low, …, high}.</summary>
    IntUniform,
    /// <summary>One of the listed values, each equally likely.</summary>
    Choice,
}

/// <summary>
/// A training setting given as a distribution, e.g. <c>score_lr: {log_uniform: [1e-3, 1e-1]}</c>. A point u in [0, 1)
/// of the sampler becomes a value; real values keep four significant digits, so that equal draws are equal trials
/// (one id) and tables stay legible.
/// </summary>
public sealed record Distribution(DistributionKind Kind, double Low, double High, IReadOnlyList<double> Choices)
{
    public const int SignificantDigits = 4;

    /// <summary>The grid's names of the kinds.</summary>
    public static IReadOnlyDictionary<string, DistributionKind> Names { get; } = new Dictionary<string, DistributionKind>
    {
        ["uniform"] = DistributionKind.Uniform, ["log_uniform"] = DistributionKind.LogUniform,
        ["int_uniform"] = DistributionKind.IntUniform, ["choice"] = DistributionKind.Choice,
    };

    /// <summary>The value at <paramref name="u"/> ∈ [0, 1).</summary>
    public double At(double u) => Kind switch
    {
        DistributionKind.Uniform => Round(Low + u * (High - Low)),
        DistributionKind.LogUniform => Round(Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low)))),
        DistributionKind.IntUniform => Math.Min(High, Low + Math.Floor(u * (High - Low + 1))),
        DistributionKind.Choice => Choices[Math.Min(Choices.Count - 1, (int)(u * Choices.Count))],
        _ => throw new ArgumentOutOfRangeException(nameof(u)),
    };

    /// <summary>Every value it can give lies in [min, max] (for checking against a setting's range).</summary>
    public (double Min, double Max) Bounds => Kind == DistributionKind.Choice ? (Choices.Min(), Choices.Max()) : (Low, High);

    /// <summary>Draws stay within [low, high] after rounding: the bounds are what was asked for.</summary>
    private double Round(double value)
    {
        var rounded = double.Parse(value.ToString($"G{SignificantDigits}", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Math.Clamp(rounded, Low, High);
    }
}
