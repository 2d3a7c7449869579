using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TagOlym.Core.Tracking;

/// <summary>
/// The little YAML that MLflow's FileStore writes with PyYAML's <c>safe_dump</c>: a mapping of scalars sorted by key,
/// whose values may also be a flat mapping of scalars or a flat list of scalars (<c>aliases</c>, <c>tags: []</c>,
/// <c>flavors: {}</c>). Strings are written plain when PyYAML would, single-quoted when a plain scalar would read as
/// something else (numbers, booleans, null, empty), and double-quoted with escapes when they hold control characters.
/// </summary>
internal static partial class MiniYaml
{
    /// <summary>A YAML value: a string, a long, an int, null, a list of strings, or an ordered map of strings.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> mapping, bool sortKeys = true)
    {
        var builder = new StringBuilder();
        var entries = sortKeys ? mapping.OrderBy(e => e.Key, StringComparer.Ordinal) : mapping;
        foreach (var (key, value) in entries)
        {
            WriteEntry(builder, key, value, "");
        }

        return builder.ToString();
    }

    private static void WriteEntry(StringBuilder builder, string key, object? value, string indent)
    {
        builder.Append(indent).Append(Scalar(key)).Append(':');
        switch (value)
        {
            case IReadOnlyList<string> list when list.Count == 0:
                builder.Append(" []\n");
                break;
            case IReadOnlyList<string> list:
                builder.Append('\n');
                foreach (var item in list)
                {
                    builder.Append(indent).Append("- ").Append(Scalar(item)).Append('\n');
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> map when !map.Any():
                builder.Append(" {}\n");
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                builder.Append('\n');
                foreach (var (k, v) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    WriteEntry(builder, k, v, indent + "  ");
                }

                break;
            default:
                builder.Append(' ').Append(ScalarValue(value)).Append('\n');
                break;
        }
    }

    private static string ScalarValue(object? value) => value switch
    {
        null => "null",
        string s => Scalar(s),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Scalar(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>A string as a YAML scalar that reads back as the same string.</summary>
    public static string Scalar(string value)
    {
        if (value.Any(c => char.IsControl(c) || c > '\u007e'))
        {
            return JsonSerializer.Serialize(value, JsonOptions);
        }

        return NeedsQuotes(value) ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".nan", ".inf", "-.inf", "+.inf",
    };

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || Reserved.Contains(value) || value != value.Trim())
        {
            return true;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal))
        {
            return true;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':'))
        {
            return true;
        }

        // what PyYAML's YAML 1.1 resolver would read as an int, a float, a timestamp or a value marker
        return value is "=" or "<<" || ImplicitInt().IsMatch(value) || ImplicitFloat().IsMatch(value) || ImplicitTimestamp().IsMatch(value);
    }

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex ImplicitInt();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex ImplicitFloat();

    [GeneratedRegex(@"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$")]
    private static partial Regex ImplicitTimestamp();

    /// <summary>Reads the subset written by <see cref="Write"/> (and by PyYAML for MLflow's meta files).</summary>
    public static Dictionary<string, object?> Read(string text)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line[0] == ' ' || line[0] == '#' || line[0] == '-')
            {
                continue;
            }

            var (key, rest) = SplitKey(line, i);
            if (rest.Length > 0)
            {
                result[key] = rest switch
                {
                    "[]" => new List<string>(),
                    "{}" => new Dictionary<string, string?>(StringComparer.Ordinal),
                    _ => ReadScalar(rest),
                };
                continue;
            }

            // a nested block: a list ("- x", at the same or a deeper indent) or a map ("  k: v")
            var list = new List<string>();
            var map = new Dictionary<string, string?>(StringComparer.Ordinal);
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && (lines[i + 1][0] == ' ' || lines[i + 1][0] == '-'))
            {
                var inner = lines[++i].Trim();
                if (inner.StartsWith("- ", StringComparison.Ordinal) || inner == "-")
                {
                    list.Add(ReadScalar(inner.Length > 1 ? inner[2..] : "") ?? "");
                }
                else
                {
                    var (k, v) = SplitKey(inner, i);
                    map[k] = ReadScalar(v);
                }
            }

            result[key] = list.Count > 0 ? list : map.Count > 0 ? map : null;
        }

        return result;
    }

    private static (string Key, string Value) SplitKey(string line, int index)
    {
        if (line.StartsWith('\'') || line.StartsWith('"'))
        {
            var end = line[0] == '\'' ? FindSingleQuoteEnd(line) : FindDoubleQuoteEnd(line);
            var key = ReadScalar(line[..(end + 1)]) ?? "";
            return (key, line[(end + 2)..].Trim());
        }

        var colon = line.IndexOf(':', StringComparison.Ordinal);
        while (colon >= 0 && colon + 1 < line.Length && line[colon + 1] != ' ')
        {
            colon = line.IndexOf(':', colon + 1);
        }

        return colon < 0
            ? throw new InvalidDataException($"YAML line {index + 1} is not 'key: value': {line}")
            : (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    private static int FindSingleQuoteEnd(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        throw new InvalidDataException($"unterminated YAML string: {text}");
    }

    private static int FindDoubleQuoteEnd(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        throw new InvalidDataException($"unterminated YAML string: {text}");
    }

    private static string? ReadScalar(string text)
    {
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            return JsonSerializer.Deserialize<string>(text);
        }

        return text is "null" or "~" or "" ? null : text;
    }

    public static string? GetString(this IReadOnlyDictionary<string, object?> yaml, string key) =>
        yaml.TryGetValue(key, out var value) ? value as string : null;

    public static long? GetLong(this IReadOnlyDictionary<string, object?> yaml, string key) =>
        yaml.GetString(key) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
