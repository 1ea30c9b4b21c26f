namespace Sweeps.Search.Tests;

/// <summary>The Sobol sequence's published first points, and the even spread that makes it worth having.</summary>
public sealed class SobolSequenceTests
{
    [Fact]
    public void FirstPointsInTwoDimensions_AreTheSequencesPublishedOnes()
    {
        var sobol = new SobolSequence(2);

        var points = Enumerable.Range(0, 8).Select(_ => sobol.Next()).ToList();

        double[][] expected = [[0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375], [0.875, 0.875], [0.625, 0.125], [0.125, 0.625]];
        Assert.Equal(expected, points);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void EveryDimension_PutsOnePointInEachOf1024EqualIntervals_ShiftedOrNot(int seed)
    {
        var dimensions = SobolSequence.MaxDimensions;
        var sobol = new SobolSequence(dimensions, seed);

        var points = Enumerable.Range(0, 1024).Select(_ => sobol.Next()).ToList();

        for (var d = 0; d < dimensions; d++)
        {
            var cells = points.Select(p => (int)(p[d] * 1024)).ToList();
            Assert.Equal(1024, cells.Distinct().Count());
        }
    }

    [Fact]
    public void EveryPairOfDimensions_Puts16PointsInEachQuarter_OfTheFirst64()
    {
        var sobol = new SobolSequence(SobolSequence.MaxDimensions);
        var points = Enumerable.Range(0, 64).Select(_ => sobol.Next()).ToList();

        for (var a = 0; a < SobolSequence.MaxDimensions; a++)
        for (var b = a + 1; b < SobolSequence.MaxDimensions; b++)
        {
            var quarters = points.GroupBy(p => (p[a] < 0.5, p[b] < 0.5)).Select(g => g.Count()).ToList();
            Assert.Equal([16, 16, 16, 16], quarters);
        }
    }

    [Fact]
    public void ASeed_ShiftsThePoints_TheSameWayEveryTime()
    {
        var first = new SobolSequence(3, seed: 5).Next();
        var again = new SobolSequence(3, seed: 5).Next();
        var other = new SobolSequence(3, seed: 6).Next();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual([0, 0, 0], first);
    }

    [Fact]
    public void MoreDimensionsThanItsTable_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SobolSequence(SobolSequence.MaxDimensions + 1));
    }
}
