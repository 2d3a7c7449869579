using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TagOlym.Core.Data;

public enum FindingSeverity
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

/// <summary>A row named by a finding: its place in the source, its id, and what is wrong with it when that needs saying.</summary>
public readonly record struct RowReference(int Row, PostId Id, string? Detail = null);

/// <summary>One thing validation found: how many rows, which ones (the first few), and whether it stops training.</summary>
public sealed record ValidationFinding(
    string Code,
    FindingSeverity Severity,
    string Message,
    long Count,
    double Share,
    IReadOnlyList<RowReference> Rows);

/// <summary>Clean posts carrying one label.</summary>
public sealed record LabelCount(string Label, long Posts, double Share);

/// <summary>A raw tag and how often it occurs.</summary>
public sealed record TagCount(string Tag, long Occurrences);

/// <summary>
/// Raw tags of the clean rows and how many map to no label, counted both over distinct tags and over occurrences
/// (a tag on 500 posts is 1 distinct tag and 500 occurrences).
/// </summary>
public sealed record RawTagStats(
    long DistinctTags,
    long UnmappedDistinctTags,
    double UnmappedShareOfDistinct,
    long Occurrences,
    long UnmappedOccurrences,
    double UnmappedShareOfOccurrences,
    IReadOnlyList<TagCount> TopUnmapped);

/// <summary>
/// What a pass over a labeled-post source found. Counts of problems are over all rows read; label and tag
/// statistics are over the clean rows (a usable post and, for labeled data, a list of string tags).
/// Renders as JSON (<see cref="ToJson"/>) or as a plain-text table (<see cref="ToText"/>).
/// </summary>
public sealed class ValidationReport
{
    public string? Source { get; init; }

    /// <summary><c>json-lines</c> or <c>json-array</c>.</summary>
    public string Format { get; init; } = string.Empty;

    public bool Gzip { get; init; }

    public string Taxonomy { get; init; } = string.Empty;

    public long RowsRead { get; init; }

    /// <summary>Rows fit for training (and, with <see cref="ValidationRules.DropDuplicatePosts"/>, not repeating a post).</summary>
    public long CleanRows { get; init; }

    public long MalformedRows { get; init; }

    public long MissingIdRows { get; init; }

    /// <summary>Post field absent or null.</summary>
    public long MissingPostRows { get; init; }

    /// <summary>Post field a number, list, object or boolean.</summary>
    public long NonStringPostRows { get; init; }

    /// <summary>Post a blank string.</summary>
    public long EmptyPostRows { get; init; }

    /// <summary>Tags field absent or null.</summary>
    public long MissingTagsRows { get; init; }

    /// <summary>Tags field not a list of strings.</summary>
    public long InvalidTagsRows { get; init; }

    /// <summary>Rows whose post text equals an earlier row's (the first of each group is not counted).</summary>
    public long DuplicatePostRows { get; init; }

    /// <summary>Of <see cref="DuplicatePostRows"/>, those whose labels differ from the earlier row's.</summary>
    public long DuplicatesWithDifferentLabels { get; init; }

    /// <summary>Rows whose strings held lone UTF-16 surrogates or invalid UTF-8, kept with those characters replaced by U+FFFD.</summary>
    public long RepairedTextRows { get; init; }

    /// <summary>Characters replaced by U+FFFD over all rows.</summary>
    public long ReplacedCharacters { get; init; }

    /// <summary>Clean posts per label, in label-index order.</summary>
    public IReadOnlyList<LabelCount> Labels { get; init; } = [];

    public long PostsWithoutLabel { get; init; }

    public double ShareWithoutLabel { get; init; }

    public long PostsWithSeveralLabels { get; init; }

    public double ShareWithSeveralLabels { get; init; }

    public RawTagStats? RawTags { get; init; }

    public ValidationRules Rules { get; init; } = ValidationRules.Default;

    public IReadOnlyList<ValidationFinding> Findings { get; init; } = [];

    /// <summary>Whether a finding is an error: training must not go on.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);

    [JsonIgnore]
    public IEnumerable<ValidationFinding> Errors => Findings.Where(f => f.Severity == FindingSeverity.Error);

    /// <summary>Throws <see cref="DataValidationException"/> naming every error, when there is one.</summary>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new DataValidationException(this);
        }
    }

    /// <summary>The report as JSON (snake_case names, ids as they were in the source).</summary>
    public string ToJson(bool indented = true) =>
        JsonSerializer.Serialize(this, indented ? ValidationJsonContext.Indented.ValidationReport : ValidationJsonContext.Default.ValidationReport);

    /// <summary>Reads back a report written by <see cref="ToJson"/>.</summary>
    public static ValidationReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, ValidationJsonContext.Default.ValidationReport)
        ?? throw new JsonException("the JSON text holds no validation report");

    /// <summary>The report as an aligned plain-text table, for a console or a log.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        void Line(string key, string value) => text.Append(CultureInfo.InvariantCulture, $"{key,-34}{value}\n");
        string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        string CountShare(long n, long of) => of == 0 ? Count(n) : $"{Count(n)} ({Percent((double)n / of)})";

        Line("source", $"{Source ?? "(stream)"} ({Format}{(Gzip ? ", gzip" : string.Empty)})");
        Line("taxonomy", $"{Taxonomy} ({Labels.Count} labels)");
        Line("rows read", Count(RowsRead));
        Line("clean rows", CountShare(CleanRows, RowsRead));
        Line("malformed rows", CountShare(MalformedRows, RowsRead));
        Line("rows without id", CountShare(MissingIdRows, RowsRead));
        Line("post missing / not text / blank", $"{Count(MissingPostRows)} / {Count(NonStringPostRows)} / {Count(EmptyPostRows)}");
        Line("tags missing / not strings", $"{Count(MissingTagsRows)} / {Count(InvalidTagsRows)}");
        Line("duplicate posts", $"{CountShare(DuplicatePostRows, RowsRead)}, {Count(DuplicatesWithDifferentLabels)} with other labels");
        Line("invalid Unicode replaced", $"{Count(ReplacedCharacters)} characters in {CountShare(RepairedTextRows, RowsRead)} rows");
        Line("posts without label", $"{Count(PostsWithoutLabel)} ({Percent(ShareWithoutLabel)} of clean)");
        Line("posts with 2+ labels", $"{Count(PostsWithSeveralLabels)} ({Percent(ShareWithSeveralLabels)} of clean)");
        if (RawTags is { } tags)
        {
            Line("raw tags, distinct: unmapped", $"{Count(tags.UnmappedDistinctTags)} of {Count(tags.DistinctTags)} ({Percent(tags.UnmappedShareOfDistinct)})");
            Line("raw tags, occurrences: unmapped", $"{Count(tags.UnmappedOccurrences)} of {Count(tags.Occurrences)} ({Percent(tags.UnmappedShareOfOccurrences)})");
            if (tags.TopUnmapped.Count > 0)
            {
                Line("most frequent unmapped tags", string.Join(", ", tags.TopUnmapped.Select(t => $"{t.Tag} {Count(t.Occurrences)}")));
            }
        }

        text.Append('\n');
        var width = Math.Max(5, Labels.Count == 0 ? 0 : Labels.Max(l => l.Label.Length));
        text.Append(CultureInfo.InvariantCulture, $"{"label".PadRight(width)}  {"posts",9}  {"share",8}\n");
        foreach (var label in Labels)
        {
            text.Append(CultureInfo.InvariantCulture, $"{label.Label.PadRight(width)}  {Count(label.Posts),9}  {Percent(label.Share),8}\n");
        }

        text.Append('\n');
        if (Findings.Count == 0)
        {
            text.Append("no findings\n");
        }

        foreach (var finding in Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{finding.Severity.ToString().ToUpperInvariant(),-8}{finding.Code}: {finding.Message}\n");
            foreach (var row in finding.Rows)
            {
                var id = row.Id.IsMissing ? "no id" : $"id {row.Id}";
                var detail = row.Detail is null ? string.Empty : $": {row.Detail}";
                text.Append(CultureInfo.InvariantCulture, $"        row {row.Row} ({id}){detail}\n");
            }

            if (finding.Rows.Count > 0 && finding.Rows.Count < finding.Count)
            {
                text.Append(CultureInfo.InvariantCulture, $"        ... and {Count(finding.Count - finding.Rows.Count)} more\n");
            }
        }

        text.Append(HasErrors ? "result: ERRORS, the data must not be used for training\n" : "result: ok\n");
        return text.ToString();
    }

    internal static string Percent(double share) => (share * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
}

/// <summary>The data failed validation; <see cref="Report"/> says why.</summary>
public sealed class DataValidationException : Exception
{
    public DataValidationException()
        : this("data validation failed")
    {
    }

    public DataValidationException(string message)
        : base(message)
    {
        Report = new ValidationReport();
    }

    public DataValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Report = new ValidationReport();
    }

    public DataValidationException(ValidationReport report)
        : base(Describe(report))
    {
        Report = report;
    }

    public ValidationReport Report { get; }

    private static string Describe(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var errors = report.Errors.Select(e =>
            e.Rows.Count == 0 ? $"{e.Code}: {e.Message}" : $"{e.Code}: {e.Message} (rows {string.Join(", ", e.Rows.Select(r => r.Row))})");
        return $"data validation of {report.Source ?? "the source"} failed: {string.Join("; ", errors)}";
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ValidationReport))]
[JsonSerializable(typeof(ValidationRules))]
internal sealed partial class ValidationJsonContext : JsonSerializerContext
{
    private static ValidationJsonContext? _indented;

    public static ValidationJsonContext Indented => _indented ??= new ValidationJsonContext(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
