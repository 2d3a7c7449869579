using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TagOlym.Core.Data.BigQuery;

/// <summary>
/// Writes a query's result as labeled posts: the anchor's <c>labeled_data.json</c>, one JSON array with one object
/// per row (<c>{"post_canonical": "...", "tags": ["..."]}</c>, plus any other column the query returns, such as an
/// <c>id</c>), one row per line. Rows are written page by page as they arrive, so a result of any size needs memory
/// for one page; the file is written to a temporary name and renamed, so a failed extraction leaves no part of it.
/// </summary>
public static class BigQueryExport
{
    /// <summary>The columns <see cref="PostReader"/> needs: the post and its raw tags.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = ["post_canonical", "tags"];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // LaTeX stays readable: only what JSON requires is escaped
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>Runs <paramref name="sql"/> and writes its rows to <paramref name="path"/>; returns the number of rows.</summary>
    public static async Task<long> ToFileAsync(BigQueryClient client, string sql, string path, IProgress<BigQueryProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        long rows = 0;
        await AtomicFile.WriteAsync(path, async (file, token) =>
            rows = await WriteAsync(client.QueryAsync(sql, progress, token), file, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Writes the rows of <paramref name="pages"/> as a JSON array to <paramref name="output"/>, flushing after each page.</summary>
    /// <exception cref="BigQueryException">The result lacks a required column or has no rows.</exception>
    public static async Task<long> WriteAsync(IAsyncEnumerable<QueryPage> pages, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        long rows = 0;
        var schemaChecked = false;
        output.Write("["u8);
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!schemaChecked)
            {
                RequireColumns(page.Schema);
                schemaChecked = true;
            }

            foreach (var row in page.EnumerateRows())
            {
                WriteRow(writer, page.Schema, row);
                writer.Flush();
                output.Write(rows == 0 ? "\n"u8 : ",\n"u8);
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                rows++;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (rows == 0)
        {
            throw new BigQueryException("the query returned no rows: nothing was written (check the query's filters, or that the tables hold data)");
        }

        output.Write("\n]\n"u8);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static void RequireColumns(IReadOnlyList<BigQueryField> schema)
    {
        var missing = RequiredColumns.Where(name => !schema.Any(f => string.Equals(f.Name, name, StringComparison.Ordinal))).ToArray();
        if (missing.Length > 0)
        {
            throw new BigQueryException(
                $"the query must return the columns {string.Join(" and ", RequiredColumns)}; it lacks {string.Join(", ", missing)} (it returns {string.Join(", ", schema.Select(f => f.Name))})");
        }

        var tags = schema.First(f => f.Name == "tags");
        if (!tags.IsRepeated || tags.IsRecord)
        {
            throw new BigQueryException($"the query's tags column must be an ARRAY<STRING>, not {(tags.IsRepeated ? "an ARRAY of " : "")}{tags.Type}");
        }
    }

    /// <summary>One row <c>{"f": [{"v": ...}, ...]}</c> as an object of its columns.</summary>
    private static void WriteRow(Utf8JsonWriter writer, IReadOnlyList<BigQueryField> fields, JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty("f", out var cells) || cells.ValueKind != JsonValueKind.Array
            || cells.GetArrayLength() != fields.Count)
        {
            throw new BigQueryException($"BigQuery sent a row that does not match the result schema ({fields.Count} columns)");
        }

        writer.WriteStartObject();
        var i = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            var field = fields[i++];
            writer.WritePropertyName(field.Name);
            WriteValue(writer, field, cell.ValueKind == JsonValueKind.Object && cell.TryGetProperty("v", out var v) ? v : default);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, BigQueryField field, JsonElement value)
    {
        if (!field.IsRepeated)
        {
            WriteSingle(writer, field, value);
            return;
        }

        writer.WriteStartArray();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                WriteSingle(writer, field, item.ValueKind == JsonValueKind.Object && item.TryGetProperty("v", out var v) ? v : default);
            }
        }
        else if (value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            throw Mismatch(field);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// A scalar as its JSON kind (BigQuery sends every scalar as a string): INT64 and finite FLOAT64 as numbers,
    /// BOOL as true/false, a STRUCT as an object; the rest (STRING, NUMERIC, dates, ...) as strings.
    /// </summary>
    private static void WriteSingle(Utf8JsonWriter writer, BigQueryField field, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
            return;
        }

        if (field.IsRecord)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Mismatch(field);
            }

            WriteRow(writer, field.Fields, value);
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Mismatch(field);
        }

        var text = value.GetString()!;
        switch (field.Type.ToUpperInvariant())
        {
            case "INTEGER" or "INT64" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case "FLOAT" or "FLOAT64" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real):
                writer.WriteNumberValue(real);
                break;
            case "BOOLEAN" or "BOOL" when bool.TryParse(text, out var flag):
                writer.WriteBooleanValue(flag);
                break;
            default:
                writer.WriteStringValue(text);
                break;
        }
    }

    private static BigQueryException Mismatch(BigQueryField field) =>
        new($"BigQuery sent a value of column {field.Name} that does not match its schema ({field.Mode} {field.Type})");
}
