using Sweeps.Pruning.Inputs;
using System.Text.Json;
using FastBertTokenizer;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Text;

/// <summary>
/// BERT input encoding on top of FastBertTokenizer's WordPiece (which matches Hugging Face's BertTokenizer, including
/// its treatment of symbols such as $ + = &lt; as punctuation): single texts and sentence pairs, truncated
/// longest-first to a maximum length the way Hugging Face tokenizers do.
/// </summary>
public sealed class BertTextEncoder
{
    private readonly BertTokenizer tokenizer;

    private BertTextEncoder(BertTokenizer tokenizer, IReadOnlyDictionary<string, int> vocabulary)
    {
        this.tokenizer = tokenizer;
        int Id(string token) => vocabulary.TryGetValue(token, out var id) ? id
            : throw new ArgumentException($"the vocabulary has no {token} token");
        PadTokenId = Id("[PAD]");
        ClassificationTokenId = Id("[CLS]");
        SeparatorTokenId = Id("[SEP]");
        MaskTokenId = Id("[MASK]");
        UnknownTokenId = Id("[UNK]");
    }

    public int PadTokenId { get; }
    public int ClassificationTokenId { get; }
    public int SeparatorTokenId { get; }
    public int MaskTokenId { get; }
    public int UnknownTokenId { get; }

    /// <summary>Creates the encoder for a model folder; lower-casing follows tokenizer_config.json (default: on).</summary>
    public static BertTextEncoder Load(ModelFolder folder)
    {
        var lowerCase = true;
        if (File.Exists(folder.TokenizerConfigPath))
        {
            using var config = JsonDocument.Parse(InputFile.ReadAllText(folder.TokenizerConfigPath, InputFile.JsonConfigBytes, "a tokenizer_config.json"));
            if (config.RootElement.TryGetProperty("do_lower_case", out var value) && value.ValueKind is JsonValueKind.False)
                lowerCase = false;
        }
        return FromVocabulary(folder.VocabPath, lowerCase);
    }

    /// <summary>Creates the encoder from a WordPiece vocab.txt.</summary>
    public static BertTextEncoder FromVocabulary(string vocabPath, bool lowerCase)
    {
        if (!File.Exists(vocabPath)) throw new ModelFormatException(vocabPath, "vocabulary file not found");
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var line in InputFile.ReadLines(vocabPath, InputFile.VocabularyBytes, "a WordPiece vocab.txt")) vocabulary.TryAdd(line, index++);
        if (vocabulary.Count == 0) throw new ModelFormatException(vocabPath, "the vocabulary is empty; expected one WordPiece token per line");
        var tokenizer = new BertTokenizer();
        using (var reader = new StreamReader(InputFile.OpenRead(vocabPath, InputFile.VocabularyBytes, "a WordPiece vocab.txt")))
            tokenizer.LoadVocabulary(reader, convertInputToLowercase: lowerCase);
        try
        {
            return new BertTextEncoder(tokenizer, vocabulary);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(vocabPath, e.Message);
        }
    }

    /// <summary>Word-piece ids of <paramref name="text"/> without special tokens.</summary>
    public int[] Tokenize(string text)
    {
        // A word piece covers at least one character, so the text's length (+ [CLS], [SEP]) bounds the id count.
        var ids = new long[text.Length + 2];
        var mask = new long[text.Length + 2];
        tokenizer.Encode(text, ids, mask, ids.Length);
        var count = Array.IndexOf(mask, 0L) is var firstPad and >= 0 ? firstPad : mask.Length;
        return ids.AsSpan(1, count - 2).ToArray().Select(i => (int)i).ToArray();
    }

    /// <summary>Encodes one text or a pair, truncating the longer text first so the result fits <paramref name="maxLength"/>.</summary>
    public EncodedText Encode(string textA, string? textB, int maxLength)
    {
        var a = Tokenize(textA).ToList();
        var b = textB is null ? null : Tokenize(textB).ToList();
        var budget = maxLength - (b is null ? 2 : 3);
        if (budget < (b is null ? 1 : 2))
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "too short to hold the special tokens and any text");
        while (a.Count + (b?.Count ?? 0) > budget)
        {
            var longer = b is not null && b.Count > a.Count ? b : a;
            longer.RemoveAt(longer.Count - 1);
        }

        var ids = new List<int>(maxLength) { ClassificationTokenId };
        ids.AddRange(a);
        ids.Add(SeparatorTokenId);
        var firstSegment = ids.Count;
        if (b is not null)
        {
            ids.AddRange(b);
            ids.Add(SeparatorTokenId);
        }
        var types = Enumerable.Range(0, ids.Count).Select(i => i < firstSegment ? 0 : 1).ToArray();
        return new EncodedText(ids.ToArray(), types);
    }
}
