using System.Globalization;
using System.Text;
using Sweeps.Pruning.Inputs;

namespace Sweeps.Pruning.Tasks;

/// <summary>
/// Reads a task from a folder of TSV files. Fields are split on tabs only (GLUE files contain unescaped quotes). A
/// line that lacks a column, carries an unknown label or is not text is an error naming the file and line.
/// </summary>
public static class TsvTaskReader
{
    public static TextTask Read(TsvTaskFormat format, string folder)
    {
        if (!Directory.Exists(folder)) throw new DataFormatException(folder, null, $"data folder for task '{format.Name}' not found");
        var train = ReadSplit(format, Path.Combine(folder, format.TrainFile));
        var dev = format.DevFiles.ToDictionary(d => d.Key, d => ReadSplit(format, Path.Combine(folder, d.Value)));
        return new TextTask(format.Name, format.LabelNames, format.Metrics, train, dev, format.LabelWords);
    }

    public static IReadOnlyList<TextExample> ReadSplit(TsvTaskFormat format, string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, $"missing file (task '{format.Name}' expects it)");
        var lines = ReadLines(path);
        var lineNumber = 0;
        int a, b = -1, label;
        if (format.HasHeader)
        {
            if (lines.Count == 0) throw new DataFormatException(path, 1, "empty file, expected a header line");
            var header = lines[0].Split('\t');
            int Find(TsvColumn column) => Array.IndexOf(header, column.Name) is var i and >= 0 ? i
                : throw new DataFormatException(path, 1, $"header has no column '{column.Name}' (found: {string.Join(", ", header)})");
            a = Find(format.TextA);
            if (format.TextB is not null) b = Find(format.TextB);
            label = Find(format.Label);
            lineNumber = 1;
        }
        else
        {
            a = format.TextA.Index!.Value;
            b = format.TextB?.Index ?? -1;
            label = format.Label.Index!.Value;
        }

        var needed = Math.Max(Math.Max(a, b), label) + 1;
        var examples = new List<TextExample>(lines.Count);
        foreach (var line in lines.Skip(lineNumber))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            if (fields.Length < needed)
                throw new DataFormatException(path, lineNumber, $"expected at least {needed} tab-separated columns, found {fields.Length}");
            examples.Add(new TextExample(fields[a], b >= 0 ? fields[b] : null, ParseLabel(format, path, lineNumber, fields[label])));
        }
        if (examples.Count == 0) throw new DataFormatException(path, null, "no examples");
        return examples;
    }

    private static float ParseLabel(TsvTaskFormat format, string path, int line, string value)
    {
        if (format.LabelValues is null)
        {
            return float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && float.IsFinite(score)
                ? score
                : throw new DataFormatException(path, line, $"label '{value}' is not a number (column {format.Label})");
        }
        var index = Array.IndexOf(format.LabelValues, value.Trim());
        return index >= 0 ? index
            : throw new DataFormatException(path, line, $"unknown label '{value}', expected one of: {string.Join(", ", format.LabelValues)}");
    }

    private static List<string> ReadLines(string path)
    {
        var bytes = InputFile.ReadAllBytes(path, InputFile.TableBytes, "a tab-separated data file");
        if (Array.IndexOf(bytes, (byte)0) >= 0) throw new DataFormatException(path, null, "binary content (NUL bytes), expected UTF-8 text");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DataFormatException(path, null, "not valid UTF-8 text");
        }
        // Lines end as Python's universal newlines read them (GLUE's own readers): \n, \r\n, or a lone \r (old Mac files).
        var lines = text.TrimStart('\uFEFF').Split(["\r\n", "\r", "\n"], StringSplitOptions.None).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }
}
