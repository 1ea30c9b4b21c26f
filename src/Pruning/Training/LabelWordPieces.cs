using Sweeps.Pruning.Text;

namespace Sweeps.Pruning.Training;

/// <summary>The vocabulary ids a frozen masked-LM head reads: each label word's first word piece of " word".</summary>
public static class LabelWordPieces
{
    /// <summary>A word with no piece, or one the vocabulary only knows as [UNK], is an error naming it.</summary>
    public static long[] Ids(BertTextEncoder encoder, IReadOnlyList<string> labelWords) =>
        labelWords.Select(w => encoder.Tokenize(" " + w) is { Length: > 0 } pieces && pieces[0] != encoder.UnknownTokenId
            ? (long)pieces[0]
            : throw new ArgumentException($"label word '{w}' is not in the model's vocabulary (it reads as [UNK])")).ToArray();
}
