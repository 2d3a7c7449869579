using System.Text.Json;
using System.Text.Json.Serialization;

namespace TagOlym.Core.Data;

/// <summary>
/// Which findings of a validation are errors. A finding whose share of the rows read is above its maximum is
/// an error; a smaller non-zero one is a warning. Shares are fractions (0.01 = 1 %); a maximum of 0 forbids
/// the finding, 1 never makes it an error.
/// </summary>
public sealed record ValidationRules
{
    /// <summary>The defaults: no malformed rows, at most 1 % of rows with a bad post, bad tags or a repeated post, at least 10 posts per label.</summary>
    public static ValidationRules Default { get; } = new();

    /// <summary>For posts to predict: tags are not needed, labels are not checked.</summary>
    public static ValidationRules PostsOnly { get; } = new() { RequireTags = false, MinPostsPerLabel = 0, MaxUnlabeledShare = 1 };

    /// <summary>
    /// For measuring a trained model on any labeled file: a label the file has few or no posts of is reported as
    /// having no support, not refused, and posts without any of the model's labels are fine (they test false alarms).
    /// </summary>
    public static ValidationRules Evaluation { get; } = new() { MinPostsPerLabel = 0, MaxUnlabeledShare = 1 };

    /// <summary>Fewer clean rows than this is an error.</summary>
    public int MinRows { get; init; } = 1;

    /// <summary>Rows that are not valid JSON objects.</summary>
    public double MaxMalformedShare { get; init; }

    /// <summary>Rows without an id (ids are needed for the benchmark split and to write predictions back).</summary>
    public double MaxMissingIdShare { get; init; } = 1;

    /// <summary>Rows whose post is missing, null, not a string, or blank.</summary>
    public double MaxBadPostShare { get; init; } = 0.01;

    /// <summary>Rows whose tags are missing, null, or not a list of strings (checked only when <see cref="RequireTags"/>).</summary>
    public double MaxBadTagsShare { get; init; } = 0.01;

    /// <summary>Rows whose post text repeats an earlier row's (0 = no duplicates allowed).</summary>
    public double MaxDuplicateShare { get; init; } = 0.01;

    /// <summary>Clean rows whose tags give no label; above this is an error (the anchor's data has 46 % on mse-questions).</summary>
    public double MaxUnlabeledShare { get; init; } = 0.9;

    /// <summary>A label with fewer clean posts than this cannot be trained and evaluated: an error.</summary>
    public int MinPostsPerLabel { get; init; } = 10;

    /// <summary>Raw tag occurrences (not distinct tags) that map to no label; above this is an error.</summary>
    public double MaxUnmappedTagShare { get; init; } = 1;

    /// <summary>Whether rows need tags (labeled data) or only posts (input for prediction).</summary>
    public bool RequireTags { get; init; } = true;

    /// <summary>Keep only the first of rows with the same post text in the clean dataset.</summary>
    public bool DropDuplicatePosts { get; init; }

    /// <summary>How many offending rows a finding names.</summary>
    public int MaxExampleRows { get; init; } = 10;

    /// <summary>
    /// Reads rules from a JSON file with these properties in snake_case (<c>max_duplicate_share</c>, ...); a
    /// property left out keeps its default, an unknown one is an error that names it.
    /// </summary>
    public static ValidationRules Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no validation rules file at {path}", path);
        }

        var options = new JsonSerializerOptions(ValidationJsonContext.Default.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        var info = new ValidationJsonContext(options).ValidationRules;
        try
        {
            // the source-generated reader sets every init-only property it is not given to zero, not to its default:
            // lay the file's keys over the defaults and read the whole object
            var given = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) as System.Text.Json.Nodes.JsonObject
                ?? throw new JsonException("the file holds no JSON object", path: null, lineNumber: 0, bytePositionInLine: null);
            var rules = JsonSerializer.SerializeToNode(Default, info)!.AsObject();
            foreach (var (key, value) in given)
            {
                rules[key] = value?.DeepClone();
            }

            return rules.Deserialize(info) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            // System.Text.Json names .NET types in its messages; a user knows the file's keys
            var known = info.Properties.Select(p => p.Name).ToArray();
            var key = e.Path is { Length: > 2 } jsonPath && jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : null;
            var problem = key switch
            {
                _ when UnknownKey(e.Message) is { } unknown => $"unknown key \"{unknown}\" (known: {string.Join(", ", known)})",
                not null when known.Contains(key) => $"\"{key}\" has a value of the wrong kind (numbers for shares and counts, true or false for switches)",
                _ => $"it must be one JSON object of rules, such as {{\"max_duplicate_share\": 0.05}} (line {e.LineNumber + 1})",
            };
            throw new JsonException($"validation rules {path}: {problem}", e);
        }
    }

    /// <summary>The property System.Text.Json could not map, from its message ("The JSON property 'x' could not be mapped ...").</summary>
    private static string? UnknownKey(string message)
    {
        const string Prefix = "The JSON property '";
        var start = message.IndexOf(Prefix, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf("' could not be mapped", start, StringComparison.Ordinal);
        return end < 0 ? null : message[(start + Prefix.Length)..end];
    }
}
