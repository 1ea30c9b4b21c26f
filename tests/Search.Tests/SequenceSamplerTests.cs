namespace Sweeps.Search.Tests;

/// <summary>Random and Sobol points are a sequence's: a point's place alone fixes it, however the sampler is asked.</summary>
public sealed class SequenceSamplerTests
{
    private static readonly SearchSpace Space = new([
        new("lr", new Distribution(DistributionKind.LogUniform, 1e-4, 1e-1, [])),
        new("x", new Distribution(DistributionKind.Uniform, 0, 1, [])),
    ]);

    public static TheoryData<string> Samplers => ["random", "sobol"];

    private static ISearchSampler Sampler(string name, int seed) => name == "random" ? new RandomSampler(Space, seed) : new SobolSampler(Space, seed);

    /// <summary>A sampler's point at <paramref name="place"/>: asked with that many trials before it.</summary>
    private static IReadOnlyDictionary<string, double> At(ISearchSampler sampler, int place) =>
        sampler.Next([.. Enumerable.Range(0, place).Select(_ => new SearchTrial(new Dictionary<string, double>(), Loss: null))]);

    [Theory, MemberData(nameof(Samplers))]
    public void APointsPlace_FixesIt_WhicheverOrderThePlacesAreAskedIn(string name)
    {
        var inOrder = Sampler(name, seed: 7);
        var shuffled = Sampler(name, seed: 7);
        int[] places = [5, 0, 9, 3, 3, 8, 1];

        var expected = Enumerable.Range(0, 10).Select(place => At(inOrder, place)).ToList();

        Assert.All(places, place => Assert.Equal(expected[place], At(shuffled, place)));
        Assert.NotEqual(expected[0], At(Sampler(name, seed: 8), 0));
    }

    [Fact]
    public void ARandomPoint_IsTheNextRunOfDrawsOfOneGenerator_SeededWithTheSeed()
    {
        var random = new Random(3);
        var sampler = new RandomSampler(Space, 3);

        for (var place = 0; place < 5; place++)
        {
            var (lr, x) = (random.NextDouble(), random.NextDouble());
            Assert.Equal(new Dictionary<string, double> { ["lr"] = Space[0].At(lr), ["x"] = Space[1].At(x) }, At(sampler, place));
        }
    }
}
