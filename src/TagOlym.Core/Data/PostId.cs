using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TagOlym.Core.Data;

/// <summary>How a record's id was written in its source.</summary>
public enum PostIdKind
{
    /// <summary>No id, or an id that is neither a number nor a string.</summary>
    Missing = 0,

    /// <summary>A JSON number (an integer in practice).</summary>
    Number = 1,

    /// <summary>A JSON string.</summary>
    Text = 2,
}

/// <summary>
/// A post's id as its source wrote it: a JSON number or a JSON string, so it can be written back the same way
/// (<c>8</c> and <c>"8"</c> are different ids). Integer ids are kept without allocating a string.
/// </summary>
[JsonConverter(typeof(PostIdJsonConverter))]
public readonly struct PostId : IEquatable<PostId>
{
    private readonly long _number;
    private readonly string? _text;

    private PostId(PostIdKind kind, long number, string? text)
    {
        Kind = kind;
        _number = number;
        _text = text;
    }

    /// <summary>No id.</summary>
    public static PostId None => default;

    public PostIdKind Kind { get; }

    public bool IsMissing => Kind == PostIdKind.Missing;

    /// <summary>The id's text: an integer's decimal digits, a non-integer number's JSON text, a string's value, or "" when missing.</summary>
    public string Text => Kind switch
    {
        PostIdKind.Number => _text ?? _number.ToString(CultureInfo.InvariantCulture),
        PostIdKind.Text => _text!,
        _ => string.Empty,
    };

    public static PostId FromNumber(long number) => new(PostIdKind.Number, number, null);

    public static PostId FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(PostIdKind.Text, 0, text);
    }

    /// <summary>A numeric id given by its JSON text (e.g. <c>12.5</c> or <c>1e30</c>, which do not fit an <see cref="long"/>).</summary>
    public static PostId FromNumberText(string jsonNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonNumber);
        return long.TryParse(jsonNumber, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? FromNumber(value)
            : new(PostIdKind.Number, 0, jsonNumber);
    }

    public static bool operator ==(PostId left, PostId right) => left.Equals(right);

    public static bool operator !=(PostId left, PostId right) => !left.Equals(right);

    /// <summary>The integer value of a numeric id that fits a <see cref="long"/>.</summary>
    public bool TryGetInt64(out long value)
    {
        value = _number;
        return Kind == PostIdKind.Number && _text is null;
    }

    /// <summary>Writes the id as it was read: a number as a number, a string as a string, a missing id as null.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case PostIdKind.Number when _text is null:
                writer.WriteNumberValue(_number);
                break;
            case PostIdKind.Number:
                writer.WriteRawValue(_text!);
                break;
            case PostIdKind.Text:
                writer.WriteStringValue(_text);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    public bool Equals(PostId other) =>
        Kind == other.Kind && _number == other._number && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PostId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _number, _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text));

    /// <summary>The id's text (see <see cref="Text"/>).</summary>
    public override string ToString() => Text;

    /// <summary>Writes the id's text as UTF-8 into <paramref name="destination"/>, allocating nothing for integer ids.</summary>
    internal bool TryWriteUtf8(Span<byte> destination, out int written)
    {
        if (Kind == PostIdKind.Number && _text is null)
        {
            return _number.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }

        return Encoding.UTF8.TryGetBytes(Text, destination, out written);
    }

    internal int Utf8Length => Kind == PostIdKind.Number && _text is null ? 20 : Encoding.UTF8.GetByteCount(Text);
}

/// <summary>Reads and writes a <see cref="PostId"/> as the JSON number or string it was.</summary>
public sealed class PostIdJsonConverter : JsonConverter<PostId>
{
    public override PostId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var n) => PostId.FromNumber(n),
        JsonTokenType.Number => PostId.FromNumberText(Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.String => PostId.FromString(reader.GetString()!),
        _ => PostId.None,
    };

    public override void Write(Utf8JsonWriter writer, PostId value, JsonSerializerOptions options) => value.WriteTo(writer);
}
