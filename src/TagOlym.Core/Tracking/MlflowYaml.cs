using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace TagOlym.Core.Tracking;

/// <summary>
/// MLflow's YAML files (<c>meta.yaml</c>, <c>MLmodel</c>) through YamlDotNet, byte for byte as MLflow writes them with
/// PyYAML's <c>safe_dump</c> (libyaml's emitter, of which YamlDotNet's is a port): keys sorted, block style, sequences
/// not indented below their key, empty collections as <c>[]</c>/<c>{}</c>, Unicode kept. The one rule the emitter cannot
/// know is PyYAML's: a string that its YAML 1.1 resolver would read as a number, a boolean, null or a date is quoted.
/// </summary>
internal static partial class MlflowYaml
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();

    /// <summary>A mapping whose values are strings, numbers, null, lists of strings or (nested) mappings.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> mapping, bool sortKeys = true)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings().WithNewLine("\n").WithBestWidth(80));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        WriteMapping(emitter, mapping, sortKeys);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());

        // a tab can only be inside a double-quoted scalar (see WriteString), which YamlDotNet writes raw and libyaml escapes
        return text.ToString().Replace("\t", "\\t", StringComparison.Ordinal);
    }

    private static void WriteMapping(IEmitter emitter, IEnumerable<KeyValuePair<string, object?>> mapping, bool sortKeys)
    {
        var entries = sortKeys ? mapping.OrderBy(e => e.Key, StringComparer.Ordinal).ToList() : mapping.ToList();
        emitter.Emit(new MappingStart(null, null, isImplicit: true, entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
        foreach (var (key, value) in entries)
        {
            WriteString(emitter, key);
            WriteValue(emitter, value);
        }

        emitter.Emit(new MappingEnd());
    }

    private static void WriteValue(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case string s:
                WriteString(emitter, s);
                break;
            case int or long:
                emitter.Emit(new Scalar(null, null, Convert.ToString(value, CultureInfo.InvariantCulture)!, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                WriteMapping(emitter, map, sortKeys: true);
                break;
            case IEnumerable<string> list:
                var items = list.ToList();
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in items)
                {
                    WriteString(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new ArgumentException($"MLflow's YAML files hold no {value.GetType().Name} values", nameof(value));
        }
    }

    /// <summary>A string in the style libyaml picks for <c>safe_dump</c>: double-quoted when it holds a character libyaml
    /// does not print (a tab, a control character, one beyond the Basic Multilingual Plane), single-quoted when a plain
    /// scalar would read as something else or is not allowed, else plain. The emitter escapes and folds.</summary>
    private static void WriteString(IEmitter emitter, string value)
    {
        var style = value.Any(c => !IsPrintable(c)) ? ScalarStyle.DoubleQuoted
            : ResolvesAsNonString(value) || !PlainAllowed(value) ? ScalarStyle.SingleQuoted
            : ScalarStyle.Plain;
        emitter.Emit(new Scalar(null, null, value, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    /// <summary>libyaml's <c>IS_PRINTABLE</c> (UTF-16 surrogates are the 4-byte UTF-8 characters it does not print).</summary>
    private static bool IsPrintable(char c) =>
        c is '\n' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00A0' and < '\uD800') or (>= '\uE000' and <= '\uFFFD' and not '\uFEFF');

    /// <summary>libyaml's analysis of a block plain scalar: no leading or trailing space, no line break, no indicator
    /// where it would start a token (<c>- </c>, <c>? </c>, <c>: </c>, <c> #</c>, a flow or quote character first).</summary>
    private static bool PlainAllowed(string value) =>
        value.Length > 0 && value[0] != ' ' && value[^1] != ' ' && !value.Contains('\n', StringComparison.Ordinal)
        && !(value[0] is ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
        && !(value[0] is '-' or '?' or ':' && (value.Length == 1 || value[1] == ' '))
        && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal) && value[^1] != ':';

    /// <summary>What PyYAML's YAML 1.1 resolver reads as a bool, an int, a float, null, a timestamp, a merge or a value key.</summary>
    private static bool ResolvesAsNonString(string value) =>
        value.Length == 0 || Bool().IsMatch(value) || Int().IsMatch(value) || Float().IsMatch(value) || Null().IsMatch(value)
        || Timestamp().IsMatch(value) || value is "<<" or "=";

    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Bool();

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex Int();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Float();

    [GeneratedRegex("^(?:~|null|Null|NULL)$")]
    private static partial Regex Null();

    [GeneratedRegex(@"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$")]
    private static partial Regex Timestamp();

    /// <summary>A YAML mapping: scalars as strings (null for <c>null</c>), sequences as lists, mappings as dictionaries.</summary>
    public static IReadOnlyDictionary<string, object?> Read(string text)
    {
        try
        {
            return Reader.Deserialize<Dictionary<string, object?>?>(text) ?? [];
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"not a YAML mapping: {e.Message}", e);
        }
    }

    public static string? GetString(this IReadOnlyDictionary<string, object?> yaml, string key) =>
        yaml.TryGetValue(key, out var value) ? value as string : null;

    public static long? GetLong(this IReadOnlyDictionary<string, object?> yaml, string key) =>
        yaml.GetString(key) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>A nested mapping's entries as strings (e.g. a registered model's <c>aliases</c>); empty when absent.</summary>
    public static IReadOnlyDictionary<string, string?> GetMap(this IReadOnlyDictionary<string, object?> yaml, string key) =>
        yaml.TryGetValue(key, out var value) && value is IDictionary<object, object?> map
            ? map.ToDictionary(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e => e.Value as string, StringComparer.Ordinal)
            : new Dictionary<string, string?>();
}
