using Sweeps.Search;

namespace Sweeps.Bench;

/// <summary>A standard function to minimise, with its search space and its known minimum.</summary>
public sealed record TestFunction(string Name, SearchSpace Space, Func<IReadOnlyDictionary<string, double>, double> Evaluate, double Minimum, double Margin);

/// <summary>
/// The sampler benchmark's functions, as the optimisation literature defines them (Surjanovic and Bingham's Virtual
/// Library of Simulation Experiments): Branin in two dimensions with three global minima, and Hartmann-6, six
/// dimensions with one global minimum among several local ones; and a surrogate of a real SMP search
/// (<see cref="SmpSpamSurrogate"/>).
/// </summary>
public static class TestFunctions
{
    private static Distribution Uniform(double low, double high) => new(DistributionKind.Uniform, low, high, []);

    public static readonly TestFunction Branin = new("branin",
        new SearchSpace([new("x1", Uniform(-5, 10)), new("x2", Uniform(0, 15))]),
        p =>
        {
            var (x1, x2) = (p["x1"], p["x2"]);
            var (b, c, t) = (5.1 / (4 * Math.PI * Math.PI), 5 / Math.PI, 1 / (8 * Math.PI));
            return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
        },
        Minimum: 0.397887357729739, Margin: 0.1);

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[,] A = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    private static readonly double[,] P =
        { { 1312, 1696, 5569, 124, 8283, 5886 }, { 2329, 4135, 8307, 3736, 1004, 9991 }, { 2348, 1451, 3522, 2883, 3047, 6650 }, { 4047, 8828, 8732, 5743, 1091, 381 } };

    public static readonly TestFunction Hartmann6 = new("hartmann6",
        new SearchSpace(Enumerable.Range(1, 6).Select(i => new KeyValuePair<string, Distribution>($"x{i}", Uniform(0, 1)))),
        p =>
        {
            var sum = 0.0;
            for (var i = 0; i < 4; i++)
            {
                var inner = 0.0;
                for (var j = 0; j < 6; j++) inner += A[i, j] * Math.Pow(p[$"x{j + 1}"] - 1e-4 * P[i, j], 2);
                sum += Alpha[i] * Math.Exp(-inner);
            }
            return -sum;
        },
        Minimum: -3.32236801141551, Margin: 0.3);

    public static IReadOnlyList<TestFunction> All { get; } = [Branin, Hartmann6, SmpSpamSurrogate.Load()];
}
