namespace Sweeps.Pruning.Squad;

/// <summary>
/// A context split on white space into words with their character spans. Answers are mapped to words and predicted
/// spans back to the text between the first word's start and the last word's end, so predictions are exact substrings.
/// </summary>
public sealed class ContextWords
{
    private readonly int[] wordOfChar;

    public ContextWords(string context)
    {
        Context = context;
        wordOfChar = new int[context.Length];
        var words = new List<(int Start, int End)>();
        var start = -1;
        for (var i = 0; i <= context.Length; i++)
        {
            var space = i == context.Length || char.IsWhiteSpace(context[i]);
            if (!space && start < 0) start = i;
            if (space && start >= 0)
            {
                words.Add((start, i));
                start = -1;
            }
            if (i < context.Length) wordOfChar[i] = space ? -1 : words.Count;
        }
        Spans = words;
    }

    public string Context { get; }

    /// <summary>Each word's [Start, End) in characters.</summary>
    public IReadOnlyList<(int Start, int End)> Spans { get; }

    public string this[int word] => Context[Spans[word].Start..Spans[word].End];

    /// <summary>The word holding character <paramref name="index"/>, or the next word when it is white space.</summary>
    public int WordAt(int index)
    {
        for (var i = Math.Max(0, index); i < wordOfChar.Length; i++)
            if (wordOfChar[i] >= 0) return wordOfChar[i];
        return Spans.Count - 1;
    }

    /// <summary>The context text from word <paramref name="first"/>'s start to word <paramref name="last"/>'s end.</summary>
    public string Text(int first, int last) => Context[Spans[first].Start..Spans[last].End];
}
