using Sweeps.Pruning.Inputs;
using System.Text.Json;
using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Squad;

/// <summary>
/// Reads the official SQuAD v1.1 JSON (train-v1.1.json, dev-v1.1.json): data → paragraphs → context and qas. Every
/// problem names the file and the JSON path of the question; an answer whose offset does not point at its text is one.
/// </summary>
public static class SquadFile
{
    public static IReadOnlyList<SquadExample> Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, "SQuAD file not found");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(InputFile.ReadAllBytes(path, InputFile.SquadJsonBytes, "a SQuAD JSON file"));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (int?)(e.LineNumber + 1), "not valid JSON: " + e.Message);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, null, "expected an object with a \"data\" array (SQuAD v1.1 format)");
            var examples = new List<SquadExample>();
            var ids = new HashSet<string>();
            for (var a = 0; a < data.GetArrayLength(); a++)
            {
                var paragraphs = Array(path, data[a], "paragraphs", $"data[{a}]");
                for (var p = 0; p < paragraphs.GetArrayLength(); p++)
                {
                    var at = $"data[{a}].paragraphs[{p}]";
                    var context = String(path, paragraphs[p], "context", at);
                    var questions = Array(path, paragraphs[p], "qas", at);
                    for (var q = 0; q < questions.GetArrayLength(); q++)
                    {
                        var qa = questions[q];
                        var where = $"{at}.qas[{q}]";
                        var id = String(path, qa, "id", where);
                        if (!ids.Add(id)) throw new DataFormatException(path, null, $"{where}: question id '{id}' appears twice");
                        var answers = new List<SquadAnswer>();
                        var list = Array(path, qa, "answers", where);
                        for (var n = 0; n < list.GetArrayLength(); n++)
                        {
                            var text = String(path, list[n], "text", $"{where}.answers[{n}]");
                            if (!list[n].TryGetProperty("answer_start", out var startElement) || !startElement.TryGetInt32(out var start))
                                throw new DataFormatException(path, null, $"{where}.answers[{n}]: expected an integer answer_start");
                            if (start < 0 || start + text.Length > context.Length || string.CompareOrdinal(context, start, text, 0, text.Length) != 0)
                                throw new DataFormatException(path, null, $"{where}.answers[{n}]: answer_start {start} does not point at '{text}' in the context");
                            answers.Add(new SquadAnswer(text, start));
                        }
                        if (answers.Count == 0) throw new DataFormatException(path, null, $"{where}: no answers (SQuAD v1.1 questions all have one)");
                        examples.Add(new SquadExample(id, String(path, qa, "question", where), context, answers));
                    }
                }
            }
            if (examples.Count == 0) throw new DataFormatException(path, null, "no questions");
            return examples;
        }
    }

    private static JsonElement Array(string path, JsonElement owner, string key, string where) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw new DataFormatException(path, null, $"{where}: expected a \"{key}\" array");

    private static string String(string path, JsonElement owner, string key, string where) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new DataFormatException(path, null, $"{where}: expected a string \"{key}\"");
}
