using System.Text.Json.Nodes;

namespace Sweeps.Pruning.Export;

/// <summary>
/// label_words.json beside a label-word export (BertForMaskedLM): which vocabulary logits are the task's outputs and
/// at which token they are read — what our head does after the masked-LM head, which transformers does not know.
/// </summary>
public static class LabelWords
{
    public const string FileName = "label_words.json";

    /// <summary>Writes label_words.json into <paramref name="folder"/> where the trial has a label-word head.</summary>
    public static void WriteTo(ExportedTrial trial, string folder)
    {
        if (trial.Architecture != ExportArchitecture.MaskedLm) return;
        var vocabulary = Inputs.InputFile.ReadLines(trial.ModelFolder.VocabPath, Inputs.InputFile.VocabularyBytes, "a WordPiece vocab.txt").ToList();
        File.WriteAllText(Path.Combine(folder, FileName), Of(trial, vocabulary).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public static JsonObject Of(ExportedTrial trial, IReadOnlyList<string> vocabulary)
    {
        var ids = System.Text.Json.JsonSerializer.Deserialize<long[]>(trial.Metadata["label_word_ids"])!;
        var words = new JsonArray(ids.Select(id => (JsonNode)vocabulary[(int)id]).ToArray());
        var span = trial.Trained.Head is Squad.SpanHead;
        var file = new JsonObject
        {
            ["head"] = span ? "span" : "classification",
            ["label_word_ids"] = new JsonArray(ids.Select(id => (JsonNode)id).ToArray()),
            ["label_words"] = words,
            ["read_at"] = span
                ? "every token: the first word's logit is the start logit, the second's the end logit"
                : "the first [MASK] token of each input, or [CLS] (position 0) where it has none",
        };
        if (!span) file["labels"] = new JsonArray(trial.Labels.Select(l => (JsonNode)l).ToArray());
        return file;
    }
}
