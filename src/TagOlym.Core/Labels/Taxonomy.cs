using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace TagOlym.Core.Labels;

/// <summary>
/// Maps the raw tags that users give a post to the taxonomy's labels. A raw tag is normalized
/// (lowercased, <c>-</c> and <c>_</c> turned into spaces, runs of white space collapsed, trimmed) and gets
/// every label with a rule that matches it, so one tag may give several labels
/// (<c>combinatorial-geometry</c> gives combinatorics and geometry) or none.
/// Thread-safe; the result for each raw tag is cached.
/// </summary>
public sealed class Taxonomy
{
    /// <summary>Raw tags remembered at most; past this, tags are mapped without caching.</summary>
    private const int MaxCachedTags = 1 << 17;

    private static readonly Lazy<Taxonomy> DefaultTaxonomy = new(CreateDefault);

    private readonly LabelRule[] _rules;
    private readonly int[] _ruleColumns;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public Taxonomy(string name, IEnumerable<LabelRule> rules, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rules);
        Name = name;
        Description = description;
        _rules = [.. rules];
        if (_rules.Length == 0)
        {
            throw new ArgumentException("a taxonomy needs at least one label", nameof(rules));
        }

        var duplicate = _rules.GroupBy(r => r.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"label '{duplicate.Key}' is defined twice", nameof(rules));
        }

        Labels = new LabelIndex(_rules.Select(r => r.Label));
        _ruleColumns = [.. _rules.Select(r => Labels.IndexOf(r.Label))];
    }

    /// <summary>The anchor's 10 labels (the same as <c>config/labels.json</c>), built in so it works without the file.</summary>
    public static Taxonomy Default => DefaultTaxonomy.Value;

    public string Name { get; }

    public string? Description { get; }

    /// <summary>The rules in the order of the file.</summary>
    public IReadOnlyList<LabelRule> Rules => _rules;

    /// <summary>The labels in ordinal order: the columns of every <see cref="LabelMatrix"/> built with this taxonomy.</summary>
    public LabelIndex Labels { get; }

    /// <summary>Reads a taxonomy file; a missing or malformed file gives an error that names the file and the problem.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TaxonomyFormatException">The file is not a valid taxonomy.</exception>
    public static Taxonomy Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"taxonomy file '{path}' does not exist", path);
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a taxonomy from its JSON text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="TaxonomyFormatException">The text is not a valid taxonomy.</exception>
    public static Taxonomy Parse(string json, string source = "taxonomy")
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), source);
    }

    /// <summary>
    /// Normalizes a raw tag the way rules see it: lowercase, <c>-</c> and <c>_</c> as spaces,
    /// runs of white space as one space, no leading or trailing space.
    /// </summary>
    public static string NormalizeTag(string rawTag)
    {
        ArgumentNullException.ThrowIfNull(rawTag);
        var builder = new StringBuilder(rawTag.Length);
        var pendingSpace = false;
        foreach (var c in rawTag)
        {
            if (c is '-' or '_' || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>The labels one raw tag gives, in label-index order (empty when the tag maps to no label).</summary>
    public IReadOnlyList<string> MapTag(string rawTag)
    {
        var columns = Columns(rawTag);
        return columns.Length == 0 ? [] : [.. columns.Select(c => Labels.Names[c])];
    }

    /// <summary>The distinct labels that a post's raw tags give, in label-index order.</summary>
    public IReadOnlyList<string> MapTags(IEnumerable<string> rawTags)
    {
        Span<bool> row = Labels.Count <= 256 ? stackalloc bool[Labels.Count] : new bool[Labels.Count];
        row.Clear();
        MarkLabels(rawTags, row);
        return Labels.FromRow(row);
    }

    /// <summary>Sets <c>row[j]</c> for every label <c>j</c> that one of the raw tags gives (a row of a <see cref="LabelMatrix"/>).</summary>
    /// <returns>How many raw tags gave at least one label.</returns>
    public int MarkLabels(IEnumerable<string> rawTags, Span<bool> row)
    {
        ArgumentNullException.ThrowIfNull(rawTags);
        if (row.Length != Labels.Count)
        {
            throw new ArgumentException($"the row has {row.Length} cells but the taxonomy has {Labels.Count} labels", nameof(rawTags));
        }

        var mapped = 0;
        foreach (var tag in rawTags)
        {
            var columns = Columns(tag);
            if (columns.Length > 0)
            {
                mapped++;
            }

            foreach (var column in columns)
            {
                row[column] = true;
            }
        }

        return mapped;
    }

    /// <summary>Whether the raw tag gives at least one label.</summary>
    public bool IsMapped(string rawTag) => Columns(rawTag).Length > 0;

    /// <summary>The taxonomy file text (indented JSON) that <see cref="Parse(string, string)"/> reads back to the same taxonomy.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", Name);
            if (Description is not null)
            {
                writer.WriteString("description", Description);
            }

            writer.WriteStartArray("labels");
            foreach (var rule in _rules)
            {
                writer.WriteStartObject();
                writer.WriteString("label", rule.Label);
                WriteForms(writer, "contains", rule.Contains);
                WriteForms(writer, "exact", rule.Exact);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Label columns of one raw tag, ascending; cached per raw tag.</summary>
    internal int[] Columns(string rawTag)
    {
        ArgumentNullException.ThrowIfNull(rawTag);
        if (_cache.TryGetValue(rawTag, out var cached))
        {
            return cached;
        }

        var normalized = NormalizeTag(rawTag);
        var columns = new List<int>();
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Matches(normalized))
            {
                columns.Add(_ruleColumns[i]);
            }
        }

        columns.Sort();
        int[] result = columns.Count == 0 ? [] : [.. columns];
        if (_cache.Count < MaxCachedTags)
        {
            _cache.TryAdd(rawTag, result);
        }

        return result;
    }

    private static void WriteForms(Utf8JsonWriter writer, string name, IReadOnlyList<string> forms)
    {
        if (forms.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var form in forms)
        {
            writer.WriteStringValue(form);
        }

        writer.WriteEndArray();
    }

    private static Taxonomy Parse(byte[] utf8, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new TaxonomyFormatException(source, $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})", ex);
        }

        using (document)
        {
            return FromElement(document.RootElement, source);
        }
    }

    private static Taxonomy FromElement(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TaxonomyFormatException(source, "the top level must be an object with \"name\" and \"labels\"");
        }

        string? name = null;
        string? description = null;
        JsonElement? labels = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    name = RequireString(property.Value, "name", source);
                    break;
                case "description":
                    description = RequireString(property.Value, "description", source);
                    break;
                case "labels":
                    labels = property.Value;
                    break;
                default:
                    throw new TaxonomyFormatException(source, $"unknown property \"{property.Name}\" (expected \"name\", \"description\", \"labels\")");
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new TaxonomyFormatException(source, "\"name\" is missing or empty");
        }

        if (labels is not { ValueKind: JsonValueKind.Array } labelArray || labelArray.GetArrayLength() == 0)
        {
            throw new TaxonomyFormatException(source, "\"labels\" must be a non-empty list of {\"label\": ..., \"contains\"/\"exact\": [...]}");
        }

        var rules = new List<LabelRule>();
        var index = 0;
        foreach (var element in labelArray.EnumerateArray())
        {
            rules.Add(ParseRule(element, $"labels[{index}]", source));
            index++;
        }

        var duplicate = rules.GroupBy(r => r.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new TaxonomyFormatException(source, $"label \"{duplicate.Key}\" is defined more than once; put all its forms in one entry");
        }

        return new Taxonomy(name.Trim(), rules, description);
    }

    private static LabelRule ParseRule(JsonElement element, string where, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TaxonomyFormatException(source, $"{where} must be an object like {{\"label\": \"geometry\", \"contains\": [\"geometr\"]}}");
        }

        string? label = null;
        List<string>? contains = null;
        List<string>? exact = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "label":
                    label = RequireString(property.Value, $"{where}.label", source);
                    break;
                case "contains":
                    contains = RequireForms(property.Value, $"{where}.contains", source);
                    break;
                case "exact":
                    exact = RequireForms(property.Value, $"{where}.exact", source);
                    break;
                default:
                    throw new TaxonomyFormatException(source, $"{where}: unknown property \"{property.Name}\" (expected \"label\", \"contains\", \"exact\")");
            }
        }

        if (string.IsNullOrWhiteSpace(label))
        {
            throw new TaxonomyFormatException(source, $"{where}: \"label\" is missing or empty");
        }

        if ((contains?.Count ?? 0) + (exact?.Count ?? 0) == 0)
        {
            throw new TaxonomyFormatException(source, $"{where} (\"{label}\"): give at least one form in \"contains\" or \"exact\"");
        }

        return new LabelRule(label, contains, exact);
    }

    private static string RequireString(JsonElement value, string where, string source) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new TaxonomyFormatException(source, $"{where} must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");

    private static List<string> RequireForms(JsonElement value, string where, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new TaxonomyFormatException(source, $"{where} must be a list of strings");
        }

        var forms = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || NormalizeTag(item.GetString()!).Length == 0)
            {
                throw new TaxonomyFormatException(source, $"{where} must hold only non-empty strings");
            }

            forms.Add(item.GetString()!);
        }

        return forms;
    }

    private static Taxonomy CreateDefault()
    {
        (string Label, string Partial)[] anchor =
        [
            ("algebra", "algebra"),
            ("geometry", "geometr"),
            ("number theory", "number theor"),
            ("combinatorics", "combinator"),
            ("inequality", "inequalit"),
            ("function", "function"),
            ("polynomial", "polynomial"),
            ("circle", "circle"),
            ("trigonometry", "trigonometr"),
            ("modular arithmetic", "modul"),
        ];
        return new Taxonomy(
            "tagolym",
            anchor.Select(a => new LabelRule(a.Label, contains: [a.Partial])),
            "The 10 labels of tagolym-ml. A raw tag is lowercased, '-' and '_' become spaces; it maps to every label one of whose forms it contains.");
    }
}
