namespace Sweeps.Pruning.Squad;

/// <summary>
/// Picks an example's answer from its windows' start and end logits: the n best starts and ends of each window, pairs
/// with start ≤ end inside the context, at most <c>maxAnswerTokens</c> long, starting where that window has the most
/// context; the pair with the highest start + end logit wins, mapped back to the context's text.
/// </summary>
public static class SpanDecoder
{
    public static string Best(SquadExample example, IReadOnlyList<(SquadFeature Feature, float[] Start, float[] End)> windows, int nBest = 20, int maxAnswerTokens = 30)
    {
        var words = new ContextWords(example.Context);
        var best = (Score: double.MinValue, First: -1, Last: -1);
        foreach (var (feature, start, end) in windows)
        {
            foreach (var s in Top(start, nBest))
            foreach (var e in Top(end, nBest))
            {
                if (feature.WordOfToken[s] < 0 || feature.WordOfToken[e] < 0 || !feature.MaxContext[s]) continue;
                if (e < s || e - s + 1 > maxAnswerTokens) continue;
                var score = (double)start[s] + end[e];
                if (score > best.Score) best = (score, feature.WordOfToken[s], feature.WordOfToken[e]);
            }
        }
        return best.First < 0 ? "" : words.Text(best.First, best.Last);
    }

    private static IEnumerable<int> Top(float[] logits, int n) =>
        Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).Take(n);
}
