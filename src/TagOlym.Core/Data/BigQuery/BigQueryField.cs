using System.Text.Json;

namespace TagOlym.Core.Data.BigQuery;

/// <summary>A column of a query result as BigQuery's <c>schema.fields</c> describes it (<c>TableFieldSchema</c>).</summary>
public sealed record BigQueryField(string Name, string Type, string Mode, IReadOnlyList<BigQueryField> Fields)
{
    /// <summary>An ARRAY column: its cell's <c>v</c> is a list of <c>{"v": ...}</c>.</summary>
    public bool IsRepeated => string.Equals(Mode, "REPEATED", StringComparison.OrdinalIgnoreCase);

    /// <summary>A STRUCT column: its cell's <c>v</c> is a row <c>{"f": [...]}</c> of <see cref="Fields"/>.</summary>
    public bool IsRecord => Type.ToUpperInvariant() is "RECORD" or "STRUCT";

    /// <summary>Reads <c>schema</c> (<c>{"fields": [...]}</c>).</summary>
    public static IReadOnlyList<BigQueryField> ParseSchema(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array
            ? fields.EnumerateArray().Select(Parse).ToArray()
            : throw new BigQueryException("BigQuery answered without a result schema");

    private static BigQueryField Parse(JsonElement field)
    {
        if (field.ValueKind != JsonValueKind.Object || !field.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw new BigQueryException("BigQuery answered with a schema field without a name");
        }

        var type = field.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "STRING";
        var mode = field.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "NULLABLE";
        var children = field.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(Parse).ToArray()
            : [];
        return new BigQueryField(name.GetString()!, type, mode, children);
    }
}
