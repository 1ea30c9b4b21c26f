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
        void Positive(string key, int value)
        {
            if (value <= 0) throw new ModelFormatException(path, $"key '{key}' must be positive, got {value}");
        }

        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("intermediate_size", IntermediateSize);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        Positive("type_vocab_size", TypeVocabSize);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ModelFormatException(path,
                $"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (HiddenAct is not ("gelu" or "gelu_new" or "relu"))
            throw new ModelFormatException(path, $"key 'hidden_act': expected gelu, gelu_new or relu, got '{HiddenAct}'");
    }
}
