using Sweeps.Pruning.Squad;

namespace Sweeps.Pruning.Tests.Squad;

/// <summary>The official SQuAD v1.1 scoring on hand-made answers whose scores are worked out in each case.</summary>
public sealed class SquadScoreTests
{
    [Theory]
    [InlineData("The  Eiffel-Tower!", "eiffeltower")] // case, punctuation, article, spaces
    [InlineData("an apple a day", "apple day")]
    [InlineData("theatre", "theatre")] // articles only as whole words
    [InlineData("  Denver   Broncos. ", "denver broncos")]
    public void Normalize_LowersStripsPunctuationArticlesAndSpaces(string answer, string normal) =>
        Assert.Equal(normal, SquadScore.Normalize(answer));

    [Fact]
    public void ExactMatch_AnyGoldAfterNormalisation()
    {
        Assert.Equal(1, SquadScore.ExactMatch("the Denver Broncos", ["Denver Broncos", "Broncos"]));
        Assert.Equal(0, SquadScore.ExactMatch("Denver", ["Denver Broncos", "Broncos"]));
    }

    [Fact]
    public void F1_CountsCommonTokens()
    {
        // predicted [denver, broncos, won], gold [denver, broncos]: 2 common, P = 2/3, R = 1, F1 = 2·(2/3)/(5/3) = 0.8
        Assert.Equal(0.8, SquadScore.F1("Denver Broncos won", "Denver Broncos"), 12);
        // repeated tokens count once each: [x, y, y] vs [y, y, z]: 2 common, P = R = 2/3
        Assert.Equal(2.0 / 3, SquadScore.F1("x y y", "y y z"), 12);
        Assert.Equal(0, SquadScore.F1("Seattle", "Denver Broncos"));
    }

    [Fact]
    public void F1_TakesTheBestGold() => Assert.Equal(1, SquadScore.F1("Broncos", ["Denver Broncos", "Broncos"]));

    [Fact]
    public void Score_AveragesAsPercentages_MissingPredictionScoresZero()
    {
        SquadExample Example(string id, params string[] golds) => new(id, "q", string.Join(" ", golds), golds.Select(g => new SquadAnswer(g, 0)).ToList());
        var examples = new[] { Example("1", "Denver Broncos"), Example("2", "Denver Broncos"), Example("3", "Carolina") };
        var predictions = new Dictionary<string, string> { ["1"] = "the Denver Broncos", ["2"] = "Denver Broncos won" };

        var (exact, f1) = SquadScore.Score(examples, predictions);

        Assert.Equal(100.0 / 3, exact, 9); // 1 + 0 + 0
        Assert.Equal(100 * 1.8 / 3, f1, 9); // 1 + 0.8 + 0
    }
}
