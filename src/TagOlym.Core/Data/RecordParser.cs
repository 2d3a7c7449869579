using System.Text;
using System.Text.Json;

namespace TagOlym.Core.Data;

/// <summary>Turns the UTF-8 bytes of one JSON record into a <see cref="PostRecord"/>, flagging instead of throwing.</summary>
internal sealed class RecordParser
{
    private readonly byte[][] _postFields;
    private readonly byte[] _idField;
    private readonly byte[] _tagsField;
    private readonly StringPool _pool = new();
    private readonly List<string> _tags = [];

    // characters of the current record replaced by U+FFFD (lone surrogates, invalid UTF-8)
    private int _replaced;

    public RecordParser(PostReaderOptions options)
    {
        if (options.PostFields.Count == 0)
        {
            throw new ArgumentException("at least one post field is needed", nameof(options));
        }

        _postFields = [.. options.PostFields.Select(Encoding.UTF8.GetBytes)];
        _idField = Encoding.UTF8.GetBytes(options.IdField);
        _tagsField = Encoding.UTF8.GetBytes(options.TagsField);
    }

    /// <summary>Parses one record; a blank slice gives null (no record).</summary>
    public PostRecord? Parse(ReadOnlySpan<byte> json, int row)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var record = reader.TokenType switch
            {
                JsonTokenType.StartObject => ParseObject(ref reader, row),
                JsonTokenType.String => BareString(ref reader, row),
                _ => PostRecord.MalformedAt(row, $"a record must be a JSON object, not {Describe(reader.TokenType)}"),
            };

            if (!record.IsMalformed && reader.Read())
            {
                return PostRecord.MalformedAt(row, "unexpected content after the record");
            }

            return record;
        }
        catch (JsonException ex)
        {
            return PostRecord.MalformedAt(row, $"invalid JSON at byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
        }
    }

    private static PostRecord BareString(ref Utf8JsonReader reader, int row)
    {
        var post = JsonStrings.Read(ref reader, out var replaced);
        var issues = RecordIssues.IdMissing | RecordIssues.TagsMissing | (string.IsNullOrWhiteSpace(post) ? RecordIssues.PostEmpty : 0);
        return new PostRecord(row, PostId.None, post, null, issues | Repaired(replaced)) { ReplacedCharacters = replaced };
    }

    private static RecordIssues Repaired(int replaced) => replaced > 0 ? RecordIssues.TextRepaired : RecordIssues.None;

    private PostRecord ParseObject(ref Utf8JsonReader reader, int row)
    {
        var id = PostId.None;
        string? post = null;
        var postRank = int.MaxValue;
        var postIssue = RecordIssues.PostMissing;
        IReadOnlyList<string>? tags = null;
        var tagsIssue = RecordIssues.TagsMissing;
        _replaced = 0;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(_idField))
            {
                reader.Read();
                id = ReadId(ref reader, ref _replaced);
                continue;
            }

            if (reader.ValueTextEquals(_tagsField))
            {
                reader.Read();
                (tags, tagsIssue) = ReadTags(ref reader);
                continue;
            }

            var rank = PostFieldRank(ref reader);
            reader.Read();
            if (rank < postRank && reader.TokenType != JsonTokenType.Null)
            {
                postRank = rank;
                if (reader.TokenType == JsonTokenType.String)
                {
                    post = JsonStrings.Read(ref reader, out var replaced);
                    _replaced += replaced;
                    postIssue = string.IsNullOrWhiteSpace(post) ? RecordIssues.PostEmpty : RecordIssues.None;
                }
                else
                {
                    post = null;
                    postIssue = RecordIssues.PostNotString;
                }
            }

            reader.Skip();
        }

        var issues = postIssue | tagsIssue | (id.IsMissing ? RecordIssues.IdMissing : RecordIssues.None) | Repaired(_replaced);
        return new PostRecord(row, id, post, tags, issues) { ReplacedCharacters = _replaced };
    }

    private int PostFieldRank(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _postFields.Length; i++)
        {
            if (reader.ValueTextEquals(_postFields[i]))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static PostId ReadId(ref Utf8JsonReader reader, ref int replaced)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number) ? PostId.FromNumber(number) : PostId.FromNumberText(Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.String:
                var id = PostId.FromString(JsonStrings.Read(ref reader, out var idReplaced));
                replaced += idReplaced;
                return id;
            default:
                reader.Skip();
                return PostId.None;
        }
    }

    private (IReadOnlyList<string>? Tags, RecordIssues Issue) ReadTags(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (null, RecordIssues.TagsMissing);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return (null, RecordIssues.TagsNotStrings);
        }

        _tags.Clear();
        var allStrings = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                _tags.Add(_pool.Get(ref reader, out var replaced));
                _replaced += replaced;
            }
            else
            {
                allStrings = false;
                reader.Skip();
            }
        }

        if (!allStrings)
        {
            return (null, RecordIssues.TagsNotStrings);
        }

        return (_tags.Count == 0 ? [] : _tags.ToArray(), RecordIssues.None);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "a list",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }
}
