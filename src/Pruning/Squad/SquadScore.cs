using System.Text;

namespace Sweeps.Pruning.Squad;

/// <summary>
/// SQuAD v1.1's official scoring: answers are normalised (lower case, punctuation, the articles a/an/the and extra white
/// space removed); exact match and token F1 each take the best over the gold answers; the dataset scores are means × 100.
/// </summary>
public static class SquadScore
{
    public static string Normalize(string answer)
    {
        var text = new StringBuilder(answer.Length);
        foreach (var c in answer.ToLowerInvariant())
            if (!IsPunctuation(c)) text.Append(c);
        var words = text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }

    public static double ExactMatch(string prediction, IEnumerable<string> golds) =>
        golds.Any(g => Normalize(prediction) == Normalize(g)) ? 1 : 0;

    public static double F1(string prediction, IEnumerable<string> golds) => golds.Select(g => F1(prediction, g)).DefaultIfEmpty(0).Max();

    /// <summary>Token-level F1 of two answers after normalisation (tokens counted with multiplicity).</summary>
    public static double F1(string prediction, string gold)
    {
        var predicted = Normalize(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = Normalize(gold).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var remaining = expected.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var common = 0;
        foreach (var token in predicted)
            if (remaining.TryGetValue(token, out var left) && left > 0)
            {
                remaining[token] = left - 1;
                common++;
            }
        if (common == 0) return 0;
        var precision = (double)common / predicted.Length;
        var recall = (double)common / expected.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Exact match and F1 over a dataset, as percentages; a question without a prediction scores 0.</summary>
    public static (double ExactMatch, double F1) Score(IReadOnlyList<SquadExample> examples, IReadOnlyDictionary<string, string> predictions)
    {
        if (examples.Count == 0) return (0, 0);
        double exact = 0, f1 = 0;
        foreach (var example in examples)
        {
            if (!predictions.TryGetValue(example.Id, out var prediction)) continue;
            var golds = example.Answers.Select(a => a.Text).ToList();
            exact += ExactMatch(prediction, golds);
            f1 += F1(prediction, golds);
        }
        return (100 * exact / examples.Count, 100 * f1 / examples.Count);
    }

    // Python's string.punctuation: the ASCII punctuation characters.
    private static bool IsPunctuation(char c) => c < 128 && char.IsPunctuation(c) || c is '$' or '+' or '<' or '=' or '>' or '^' or '`' or '|' or '~';
}
