using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sweeps.SweepClient.Grids;

/// <summary>
/// Shape checks over a YAML document that collect problems instead of throwing: each records an error at its node
/// (file, line, column, key, what was expected) and returns a neutral value, so one pass reports every problem.
/// </summary>
public abstract class GridYamlReader(string file)
{
    protected string FilePath { get; } = file;

    protected List<GridError> Errors { get; } = [];

    protected Dictionary<string, YamlNode> Mapping(YamlMappingNode node, string context, string[] allowed)
    {
        var result = new Dictionary<string, YamlNode>();
        foreach (var (keyNode, value) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(key))
                Fail(keyNode.Start, Shown(key).Trim('\''), $"unknown key in {context}; expected one of: {string.Join(", ", allowed)}");
            else if (!result.TryAdd(key, value))
                Fail(keyNode.Start, key, "appears twice");
        }
        return result;
    }

    protected string? RequiredString(Dictionary<string, YamlNode> keys, YamlNode owner, string key)
    {
        if (!keys.ContainsKey(key))
        {
            Fail(owner.Start, key, "is required");
            return null;
        }
        return OptionalString(keys, key);
    }

    protected string? OptionalString(Dictionary<string, YamlNode> keys, string key)
    {
        if (!keys.TryGetValue(key, out var node)) return null;
        if (node is YamlScalarNode { Value: { Length: > 0 } value } scalar && !IsYamlNull(scalar)) return value;
        Fail(node.Start, key, "expected a non-empty string");
        return null;
    }

    /// <summary>A key that may hold one value or a list of them (an axis); defaults apply when it is absent.</summary>
    protected IReadOnlyList<T> List<T>(Dictionary<string, YamlNode> keys, string key, Func<YamlScalarNode, object?> parse, string expected, IReadOnlyList<T>? fallback)
    {
        if (keys.TryGetValue(key, out var node)) return ListOf<T>(node, key, parse, expected);
        if (fallback is null) return Missing<T>(key, expected);
        return fallback;
    }

    /// <param name="parse">Returns the value, or null after recording why the item is invalid.</param>
    protected IReadOnlyList<T> ListOf<T>(YamlNode node, string key, Func<YamlScalarNode, object?> parse, string expected)
    {
        var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        if (items.Count == 0) Fail(node.Start, key, $"is empty; expected at least one value ({expected})");
        var values = new List<T>();
        foreach (var item in items)
        {
            if (item is not YamlScalarNode scalar)
            {
                Fail(item.Start, key, $"expected {expected}");
                continue;
            }
            if (parse(scalar) is not T value) continue;
            if (values.Contains(value)) Fail(item.Start, key, $"value {Shown(scalar.Value ?? "")} is listed twice");
            else values.Add(value);
        }
        return values;
    }

    protected double? Number(YamlNode node, string key, Func<double, bool> valid, string expected)
    {
        if (node is YamlScalarNode scalar && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            if (valid(value)) return value;
        }
        Invalid<double>(node, key, expected);
        return null;
    }

    protected int? Integer(YamlNode node, string key, Func<int, bool> valid, string expected)
    {
        if (node is YamlScalarNode scalar && int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && valid(value))
            return value;
        Invalid<int>(node, key, expected);
        return null;
    }

    protected T? ParseWith<T>(YamlScalarNode node, string key, Func<string, T> parse, string expected) where T : struct
    {
        try
        {
            return parse(node.Value ?? "");
        }
        catch (ArgumentException)
        {
            return Invalid<T>(node, key, expected);
        }
    }

    protected T? Invalid<T>(YamlNode node, string key, string expected) where T : struct
    {
        var shown = node is YamlScalarNode s ? Shown(s.Value ?? "") : $"a {node.NodeType.ToString().ToLowerInvariant()}";
        Fail(node.Start, key, $"got {shown}, expected {expected}");
        return null;
    }

    protected Dictionary<string, YamlNode> Mismatch(YamlNode node, string key, string expected)
    {
        Fail(node.Start, key, $"expected {expected}");
        return [];
    }

    protected IReadOnlyList<T> Missing<T>(string key, string expected)
    {
        Fail(null, key, $"is required ({expected})");
        return [];
    }

    /// <summary>A value as an error message shows it: quoted, escaped, cut short (a value can be a megabyte long).</summary>
    public static string Shown(string value)
    {
        const int MaxShown = 60;
        var cut = value.Length > MaxShown ? value[..MaxShown] : value;
        var escaped = string.Concat(cut.Select(c => IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return $"'{escaped}'" + (value.Length > MaxShown ? $"… ({value.Length:N0} characters)" : "");
    }

    // Any C0/C1 control or a line/paragraph separator: a value never needs one, and echoed raw they rewrite the terminal.
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';

    protected static bool IsYamlNull(YamlScalarNode node) =>
        node.Style == ScalarStyle.Plain && node.Value is "null" or "Null" or "NULL" or "~";

    protected void Fail(Mark? at, string key, string message) =>
        Errors.Add(new GridError(FilePath, (int)(at?.Line ?? 1), (int)(at?.Column ?? 1), key, message));
}
