namespace TagOlym.Core.Data;

/// <summary>What is wrong with a record; several may hold at once.</summary>
[Flags]
public enum RecordIssues
{
    None = 0,

    /// <summary>The record is not valid JSON, not an object, or too long; nothing else was read from it.</summary>
    Malformed = 1,

    /// <summary>No id, or an id that is neither a number nor a string.</summary>
    IdMissing = 2,

    /// <summary>The post field is absent or null.</summary>
    PostMissing = 4,

    /// <summary>The post field is a number, list, object or boolean.</summary>
    PostNotString = 8,

    /// <summary>The post is a string that is empty or only white space.</summary>
    PostEmpty = 16,

    /// <summary>The tags field is absent or null.</summary>
    TagsMissing = 32,

    /// <summary>The tags field is not a list, or the list holds something other than strings.</summary>
    TagsNotStrings = 64,

    /// <summary>
    /// A string of the record held a lone UTF-16 surrogate (escaped, as <c>\ud800</c>) or bytes that are not UTF-8;
    /// each was replaced by U+FFFD and the record kept (see <see cref="PostRecord.ReplacedCharacters"/>).
    /// </summary>
    TextRepaired = 128,

    /// <summary>Any problem with the post: missing, not a string, or empty.</summary>
    AnyPostProblem = PostMissing | PostNotString | PostEmpty,

    /// <summary>Any problem with the tags: missing or not a list of strings.</summary>
    AnyTagsProblem = TagsMissing | TagsNotStrings,
}

/// <summary>
/// One record of a labeled-post source, as read: nothing is dropped or fixed here, problems are flagged in
/// <see cref="Issues"/> for validation to count.
/// </summary>
public sealed class PostRecord
{
    public PostRecord(int row, PostId id, string? post, IReadOnlyList<string>? tags, RecordIssues issues, string? error = null)
    {
        Row = row;
        Id = id;
        Post = post;
        Tags = tags;
        Issues = issues;
        Error = error;
    }

    /// <summary>
    /// Where the record is in its source, from 1: the line number in JSON Lines (blank lines count but give no
    /// record), the element number in a JSON array.
    /// </summary>
    public int Row { get; }

    public PostId Id { get; }

    /// <summary>The post text when the post field is a string (possibly empty), else null.</summary>
    public string? Post { get; }

    /// <summary>The raw tags when the tags field is a list of strings, else null.</summary>
    public IReadOnlyList<string>? Tags { get; }

    public RecordIssues Issues { get; }

    /// <summary>Why a malformed record could not be read.</summary>
    public string? Error { get; }

    /// <summary>How many characters of the record's strings were replaced by U+FFFD (see <see cref="RecordIssues.TextRepaired"/>).</summary>
    public int ReplacedCharacters { get; init; }

    public bool IsMalformed => (Issues & RecordIssues.Malformed) != 0;

    /// <summary>The post is a non-blank string.</summary>
    public bool HasPost => Post is not null && (Issues & RecordIssues.AnyPostProblem) == 0;

    /// <summary>The tags are a list of strings (possibly empty).</summary>
    public bool HasTags => Tags is not null && (Issues & RecordIssues.AnyTagsProblem) == 0;

    internal static PostRecord MalformedAt(int row, string error) => new(row, PostId.None, null, null, RecordIssues.Malformed, error);
}
