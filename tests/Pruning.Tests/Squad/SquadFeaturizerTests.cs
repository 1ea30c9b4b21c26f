using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Text;
using Sweeps.Testing;

namespace Sweeps.Pruning.Tests.Squad;

/// <summary>
/// Windows over a 20-word context of unknown words (one word piece each): question of 1 piece, 12 tokens per window
/// (8 context pieces), stride 4, so windows start at pieces 0, 4, 8 and 12.
/// </summary>
public sealed class SquadFeaturizerTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly SquadExample example;
    private readonly IReadOnlyList<SquadFeature> features;

    public SquadFeaturizerTests()
    {
        var context = string.Join(" ", Enumerable.Range(0, 20).Select(i => $"w{i}"));
        var answerStart = context.IndexOf("w9 ", StringComparison.Ordinal);
        example = new SquadExample("q", "hello", context, [new SquadAnswer("w9 w10", answerStart)]);
        var encoder = BertTextEncoder.FromVocabulary(Path.Combine(tiny.Directory, "vocab.txt"), lowerCase: true);
        features = new SquadFeaturizer(encoder, maxLength: 12, docStride: 4).Build(example, 0);
    }

    public void Dispose() => tiny.Dispose();

    [Fact]
    public void Build_SlidesWindowsByTheStride_UntilTheContextIsCovered()
    {
        Assert.Equal(4, features.Count);
        Assert.All(features, f => Assert.Equal(12, f.InputIds.Length));
        Assert.Equal([0, 4, 8, 12], features.Select(f => f.WordOfToken[3])); // first context token of each window
        Assert.All(features, f => Assert.Equal([0, 0, 0, 1], f.TokenTypeIds[..3].Append(f.TokenTypeIds[3])));
        Assert.All(features, f => Assert.Equal([-1, -1, -1], f.WordOfToken[..3])); // [CLS] question [SEP]
        Assert.All(features, f => Assert.Equal(-1, f.WordOfToken[^1])); // the final [SEP]
    }

    [Fact]
    public void Build_AnswerPositions_InTheWindowsThatHoldIt_ElseCls()
    {
        // Answer pieces 9..10: window 1 (pieces 4..11) holds them at tokens 3 + 5, 3 + 6; window 2 (8..15) at 3 + 1, 3 + 2.
        Assert.Equal([(0, 0), (8, 9), (4, 5), (0, 0)], features.Select(f => (f.StartPosition, f.EndPosition)));
    }

    [Fact]
    public void Build_MaxContext_GoesToTheWindowWhereAPieceHasMostRoomOnBothSides()
    {
        // Piece 9: window 1 leaves min(5, 2) = 2, window 2 min(1, 6) = 1. Piece 10: window 1 min(6, 1) = 1, window 2 min(2, 5) = 2.
        Assert.True(features[1].MaxContext[8]);
        Assert.False(features[2].MaxContext[4]);
        Assert.False(features[1].MaxContext[9]);
        Assert.True(features[2].MaxContext[5]);
        // Every context piece has exactly one window with the most context.
        for (var piece = 0; piece < 20; piece++)
            Assert.Equal(1, features.Sum(f => Enumerable.Range(0, f.InputIds.Length).Count(t => f.WordOfToken[t] == piece && f.MaxContext[t])));
    }

    [Fact]
    public void Best_TakesTheHighestValidSpan_MappedBackToTheContextText()
    {
        var windows = features.Select(f => (f, Enumerable.Repeat(-100f, 12).ToArray(), Enumerable.Repeat(-100f, 12).ToArray())).ToList();
        windows[1].Item2[8] = 5; // start at piece 9 in window 1 (its max-context window)
        windows[1].Item3[9] = 5; // end at piece 10: score 10
        windows[2].Item2[4] = 9; // piece 9 again, higher in window 2, which is not its max-context window: never a start
        windows[2].Item3[5] = 9; // (piece 10 as a one-token answer there: -100 + 9 = -91)
        windows[3].Item2[10] = 20; // start at piece 19 after the end at piece 18: not a span
        windows[3].Item3[9] = 20; // (each alone, with the other end at -100: -80)

        Assert.Equal("w9 w10", SpanDecoder.Best(example, windows));
        // At most one token: piece 19 alone in window 3 (20 - 100 = -80) beats piece 10 in window 2 (-100 + 9 = -91)
        // and piece 9 in window 1 (5 - 100 = -95).
        Assert.Equal("w19", SpanDecoder.Best(example, windows, maxAnswerTokens: 1));
    }
}
