using System.Text.Json;
using TagOlym.Core.Data;

namespace TagOlym.Web.Http;

/// <summary>A forum's post id as a client sends it: a JSON string (1 to 256 characters) or a JSON number, echoed back as it came.</summary>
public static class PostIds
{
    public const int MaxLength = 256;

    /// <summary>Null when <paramref name="id"/> is a usable id, else what is wrong with it, naming <paramref name="field"/>.</summary>
    public static string? Check(JsonElement id, string field) => id.ValueKind switch
    {
        JsonValueKind.Number => null,
        JsonValueKind.String when id.GetString() is { Length: > 0 and <= MaxLength } text && !string.IsNullOrWhiteSpace(text) => null,
        JsonValueKind.String => $"{field} must be a non-empty string of at most {MaxLength} characters, or a number",
        _ => $"{field} must be a string or a number; got {id.ValueKind.ToString().ToLowerInvariant()}",
    };

    public static PostId ToPostId(JsonElement id) => id.ValueKind == JsonValueKind.Number
        ? PostId.FromNumberText(id.GetRawText())
        : PostId.FromString(id.GetString()!);
}
