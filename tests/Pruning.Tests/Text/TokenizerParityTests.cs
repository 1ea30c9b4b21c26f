using Sweeps.Pruning.Tests.Fixtures;

namespace Sweeps.Pruning.Tests.Text;

[Collection(MiniLmCollection.Name)]
public sealed class TokenizerParityTests(MiniLmFixture miniLm)
{
    [Fact]
    public void Encode_RealSentences_SameIdsAsHuggingFaceTokenizers()
    {
        using var reference = new HuggingFaceTokenizerOracle(miniLm.Folder.VocabPath, lowerCase: true);
        foreach (var sentence in ParitySentences.Load())
        {
            var ours = miniLm.Encoder.Encode(sentence, null, 100_000).InputIds;
            var theirs = reference.Encode(sentence);
            Assert.True(theirs.SequenceEqual(ours), $"token ids differ for: {sentence}\nours:   {string.Join(" ", ours)}\ntheirs: {string.Join(" ", theirs)}");
        }
    }

    [Fact]
    public void Encode_SymbolsAccentsAndUnknownCharacters_SameIdsAsHuggingFaceTokenizers()
    {
        using var reference = new HuggingFaceTokenizerOracle(miniLm.Folder.VocabPath, lowerCase: true);
        foreach (var text in new[] { "a=b", "$5 + <x> ^ ` | ~", "Café NAÏVE", "€100 £5 ©", "日本語", "emoji 😀 x", "" })
            Assert.Equal(reference.Encode(text), miniLm.Encoder.Encode(text, null, 512).InputIds);
    }

    [Fact]
    public void Encode_LongText_TruncatesToMaxLengthKeepingThePrefix()
    {
        var sentence = ParitySentences.Load().OrderByDescending(s => s.Length).First();
        var full = miniLm.Encoder.Encode(sentence, null, 100_000).InputIds;
        var truncated = miniLm.Encoder.Encode(sentence, null, 128).InputIds;

        Assert.True(full.Length > 128);
        Assert.Equal(128, truncated.Length);
        Assert.Equal(full.Take(127), truncated.Take(127));
        Assert.Equal(miniLm.Encoder.SeparatorTokenId, truncated[^1]);
    }

    [Fact]
    public void Encode_Pair_SegmentsAndTruncatesLongestFirst()
    {
        var longText = string.Join(' ', Enumerable.Repeat("pruning", 100));
        var encoded = miniLm.Encoder.Encode("is it spam?", longText, 32);

        Assert.Equal(32, encoded.Length);
        Assert.Equal(miniLm.Encoder.ClassificationTokenId, encoded.InputIds[0]);
        var separators = encoded.InputIds.Select((id, i) => (id, i)).Where(p => p.id == miniLm.Encoder.SeparatorTokenId).Select(p => p.i).ToArray();
        Assert.Equal(2, separators.Length);
        Assert.Equal(31, separators[1]);
        Assert.All(encoded.TokenTypeIds.Take(separators[0] + 1), t => Assert.Equal(0, t));
        Assert.All(encoded.TokenTypeIds.Skip(separators[0] + 1), t => Assert.Equal(1, t));
        // The short first text survives whole: only the longer one was cut.
        Assert.Equal(miniLm.Encoder.Tokenize("is it spam?").Length, separators[0] - 1);
    }
}
