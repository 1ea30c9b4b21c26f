using System.Text;
using Sweeps.Pruning.Inputs;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sweeps.SweepClient.Grids;

/// <summary>
/// A grid file's text, read safely, and the YAML safety scan run over it before any document is built: only a regular
/// file, at most <see cref="GridLimits.MaxBytes"/> read, no NUL byte, no alias, no tag, no control character, no
/// nesting deeper than <see cref="MaxDepth"/>.
/// </summary>
public static class GridSource
{
    /// <summary>Deeper than any grid needs (the deepest key is three levels down).</summary>
    public const int MaxDepth = 16;

    /// <summary>The text that passed every check, or null after adding to <paramref name="errors"/> why not.</summary>
    public static string? Read(string path, GridLimits limits, List<GridError> errors)
    {
        void Fail(Mark? at, string key, string message) => errors.Add(new GridError(path, (int)(at?.Line ?? 1), (int)(at?.Column ?? 1), key, message));
        string text;
        try
        {
            // A FIFO would block and /dev/zero reports 0 bytes and never ends: the cap is counted while reading.
            text = InputFile.ReadAllText(path, limits.MaxBytes, "a grid file (YAML)");
        }
        catch (InputFileException e)
        {
            Fail(null, "file", e.Problem);
            return null;
        }
        if (text.Contains('\0'))
        {
            Fail(null, "file", "holds a NUL byte; expected YAML text");
            return null;
        }
        return Scan(text, Fail) ? text : null;
    }

    /// <summary>
    /// Aliases and deep nesting are refused before the document is built: a few lines of aliases can expand to billions
    /// of nodes, and building a deeply nested document recurses once per level. Tags would ask for types a grid never
    /// holds; control characters would be echoed into the terminal.
    /// </summary>
    private static bool Scan(string text, Action<Mark?, string, string> fail)
    {
        var ok = true;
        try
        {
            var scanner = new Parser(new StringReader(text));
            var depth = 0;
            while (scanner.MoveNext())
            {
                switch (scanner.Current)
                {
                    case AnchorAlias alias:
                        fail(alias.Start, "*" + alias.Value, "YAML aliases are not allowed in a grid file");
                        return false;
                    case NodeEvent { Tag.IsEmpty: false } tagged when !tagged.Tag.IsNonSpecific:
                        fail(tagged.Start, tagged.Tag.Value, "YAML tags are not allowed in a grid file (a grid holds plain values)");
                        ok = false;
                        continue;
                }
                if (scanner.Current is Scalar { Value: var value } scalar && value.Any(GridYamlReader.IsControl))
                {
                    fail(scalar.Start, "value", $"{GridYamlReader.Shown(value)} holds a control character; values are plain text on one line");
                    ok = false;
                }
                if (scanner.Current is SequenceStart or MappingStart && ++depth > MaxDepth)
                {
                    fail(scanner.Current.Start, "file", $"is nested more than {MaxDepth} levels deep");
                    return false;
                }
                if (scanner.Current is SequenceEnd or MappingEnd) depth--;
            }
        }
        catch (YamlException e)
        {
            fail(e.Start, "syntax", e.InnerException?.Message ?? e.Message);
            return false;
        }
        return ok;
    }
}
