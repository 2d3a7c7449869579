using System.Text.Json;

namespace TagOlym.Core.Data.BigQuery;

/// <summary>
/// One page of a query's result: the schema and the page's rows in BigQuery's <c>{"f": [{"v": ...}]}</c> form.
/// It is valid until the enumeration that produced it moves on (its JSON is then released).
/// </summary>
public sealed record QueryPage(string JobId, int Number, IReadOnlyList<BigQueryField> Schema, JsonElement Rows, long? TotalRows)
{
    /// <summary>The rows of this page (an empty page has none).</summary>
    public JsonElement.ArrayEnumerator EnumerateRows() =>
        Rows.ValueKind == JsonValueKind.Array ? Rows.EnumerateArray() : default;

    public int RowCount => Rows.ValueKind == JsonValueKind.Array ? Rows.GetArrayLength() : 0;
}
