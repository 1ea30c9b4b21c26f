using Sweeps.Pruning.Text;

namespace Sweeps.Pruning.Squad;

/// <summary>
/// Turns SQuAD examples into model inputs: the question (at most <c>maxQueryLength</c> word pieces) and windows of the
/// context that slide by <c>docStride</c> word pieces, each at most <c>maxLength</c> tokens (384 and 128 in the paper).
/// </summary>
public sealed class SquadFeaturizer(BertTextEncoder encoder, int maxLength = 384, int docStride = 128, int maxQueryLength = 64)
{
    public IReadOnlyList<SquadFeature> Build(IReadOnlyList<SquadExample> examples) =>
        examples.SelectMany((example, index) => Build(example, index)).ToList();

    public IReadOnlyList<SquadFeature> Build(SquadExample example, int exampleIndex)
    {
        var words = new ContextWords(example.Context);
        var query = encoder.Tokenize(example.Question).Take(maxQueryLength).ToArray();
        var pieces = new List<int>();
        var wordOfPiece = new List<int>();
        var firstPieceOfWord = new int[words.Spans.Count + 1];
        for (var w = 0; w < words.Spans.Count; w++)
        {
            firstPieceOfWord[w] = pieces.Count;
            foreach (var id in encoder.Tokenize(words[w]))
            {
                pieces.Add(id);
                wordOfPiece.Add(w);
            }
        }
        firstPieceOfWord[words.Spans.Count] = pieces.Count;

        var answer = example.Answers[0];
        var startWord = words.WordAt(answer.Start);
        var endWord = words.WordAt(answer.Start + Math.Max(0, answer.Text.TrimEnd().Length - 1));
        var answerStart = firstPieceOfWord[startWord];
        var answerEnd = firstPieceOfWord[endWord + 1] - 1;

        var perWindow = maxLength - query.Length - 3;
        if (perWindow < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "leaves no room for the context after the question");
        var windows = new List<(int Start, int Length)>();
        for (var start = 0; ; start += Math.Min(perWindow, docStride))
        {
            var length = Math.Min(perWindow, pieces.Count - start);
            windows.Add((start, length));
            if (start + length >= pieces.Count) break;
        }

        var features = new List<SquadFeature>(windows.Count);
        var offset = query.Length + 2;
        for (var w = 0; w < windows.Count; w++)
        {
            var (start, length) = windows[w];
            var ids = new List<int>(offset + length + 1) { encoder.ClassificationTokenId };
            ids.AddRange(query);
            ids.Add(encoder.SeparatorTokenId);
            ids.AddRange(pieces.Skip(start).Take(length));
            ids.Add(encoder.SeparatorTokenId);
            var types = Enumerable.Range(0, ids.Count).Select(i => i < offset ? 0 : 1).ToArray();
            var wordOfToken = Enumerable.Repeat(-1, ids.Count).ToArray();
            var maxContext = new bool[ids.Count];
            for (var j = 0; j < length; j++)
            {
                wordOfToken[offset + j] = wordOfPiece[start + j];
                maxContext[offset + j] = MostContextWindow(windows, start + j) == w;
            }
            var inside = answerStart >= start && answerEnd < start + length;
            features.Add(new SquadFeature(exampleIndex, ids.ToArray(), types, wordOfToken, maxContext,
                inside ? offset + answerStart - start : 0, inside ? offset + answerEnd - start : 0));
        }
        return features;
    }

    /// <summary>The window where <paramref name="piece"/> has the most context: the larger of its smaller side, plus a little for longer windows.</summary>
    private static int MostContextWindow(List<(int Start, int Length)> windows, int piece)
    {
        var best = -1;
        var bestScore = double.MinValue;
        for (var w = 0; w < windows.Count; w++)
        {
            var (start, length) = windows[w];
            if (piece < start || piece >= start + length) continue;
            var score = Math.Min(piece - start, start + length - 1 - piece) + 0.01 * length;
            if (score > bestScore)
            {
                bestScore = score;
                best = w;
            }
        }
        return best;
    }
}
