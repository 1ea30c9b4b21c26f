using System.Text.Json;

namespace Sweeps.Pruning.Tests.Fixtures;

/// <summary>
/// Hugging Face's own tokenizers library (Rust, through Tokenizers.DotNet) configured as BertTokenizerFast for a
/// vocab.txt: the reference our encoder must agree with.
/// </summary>
public sealed class HuggingFaceTokenizerOracle : IDisposable
{
    private readonly Tokenizers.DotNet.Tokenizer tokenizer;
    private readonly string folder;

    public HuggingFaceTokenizerOracle(string vocabPath, bool lowerCase)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var line in File.ReadLines(vocabPath)) vocabulary.TryAdd(line, index++);
        object Special(string token) => new { id = vocabulary[token], content = token, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true };
        var definition = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Select(Special).ToArray(),
            ["normalizer"] = new { type = "BertNormalizer", clean_text = true, handle_chinese_chars = true, strip_accents = (bool?)null, lowercase = lowerCase },
            ["pre_tokenizer"] = new { type = "BertPreTokenizer" },
            ["post_processor"] = new { type = "BertProcessing", sep = new object[] { "[SEP]", vocabulary["[SEP]"] }, cls = new object[] { "[CLS]", vocabulary["[CLS]"] } },
            ["decoder"] = new { type = "WordPiece", prefix = "##", cleanup = true },
            ["model"] = new { type = "WordPiece", unk_token = "[UNK]", continuing_subword_prefix = "##", max_input_chars_per_word = 100, vocab = vocabulary },
        };
        folder = Directory.CreateTempSubdirectory("sweeps-tokenizer-").FullName;
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, JsonSerializer.Serialize(definition));
        tokenizer = new Tokenizers.DotNet.Tokenizer(vocabPath: path);
    }

    /// <summary>[CLS] ids [SEP] for one text, untruncated.</summary>
    public int[] Encode(string text) => tokenizer.Encode(text).Select(i => (int)i).ToArray();

    public void Dispose()
    {
        tokenizer.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
