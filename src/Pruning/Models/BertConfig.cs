using Sweeps.Pruning.Inputs;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweeps.Pruning.Models;

/// <summary>The shape of a BERT, as Hugging Face writes it in config.json.</summary>
public sealed record BertConfig
{
    [JsonPropertyName("vocab_size")] public required int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public required int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public required int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public required int NumAttentionHeads { get; init; }
    [JsonPropertyName("intermediate_size")] public required int IntermediateSize { get; init; }
    [JsonPropertyName("max_position_embeddings")] public required int MaxPositionEmbeddings { get; init; }
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";

    private static readonly string[] RequiredKeys =
    [
        "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
        "max_position_embeddings",
    ];

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    /// <summary>Reads and validates a config.json; every problem names the file and the key.</summary>
    public static BertConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "config.json is missing");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(InputFile.ReadAllText(path, InputFile.JsonConfigBytes, "a model's config.json"));
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(path, "expected a JSON object");
            var missing = RequiredKeys.Where(k => !document.RootElement.TryGetProperty(k, out _)).ToList();
            if (missing.Count > 0)
                throw new ModelFormatException(path, $"missing required key(s): {string.Join(", ", missing)}");
            BertConfig config;
            try
            {
                config = document.RootElement.Deserialize<BertConfig>()!;
            }
            catch (JsonException e)
            {
                throw new ModelFormatException(path, $"key '{e.Path?.TrimStart('$', '.')}' has the wrong type: {e.Message}");
            }
            config.Validate(path);
            return config;
        }
    }

    /// <summary>Writes config.json in Hugging Face layout.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, WriteOptions));

    private void Validate(string path)
    {
        // Upper bounds far above any BERT (BERT-large: 30,522 / 1,024 / 24 / 16 / 4,096 / 512 / 2), checked before
        // anything is allocated: a config that asks for a 64 GB embedding fails here, naming the key.
        void Positive(string key, int value, int max)
        {
            if (value <= 0 || value > max) throw new ModelFormatException(path, $"key '{key}' must be from 1 to {max:N0}, got {value}");
        }

        Positive("vocab_size", VocabSize, 1_000_000);
        Positive("hidden_size", HiddenSize, 16_384);
        Positive("num_hidden_layers", NumHiddenLayers, 256);
        Positive("num_attention_heads", NumAttentionHeads, 256);
        Positive("intermediate_size", IntermediateSize, 65_536);
        Positive("max_position_embeddings", MaxPositionEmbeddings, 65_536);
        Positive("type_vocab_size", TypeVocabSize, 1_024);
        if ((long)VocabSize * HiddenSize > 1L << 30)
            throw new ModelFormatException(path, $"vocab_size × hidden_size = {(long)VocabSize * HiddenSize:N0} parameters in one embedding; at most {1L << 30:N0}");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ModelFormatException(path,
                $"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (HiddenAct is not ("gelu" or "gelu_new" or "relu"))
            throw new ModelFormatException(path, $"key 'hidden_act': expected gelu, gelu_new or relu, got '{HiddenAct}'");
    }
}
