using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TagOlym.Core.Data;

/// <summary>A moderator's verdict on the tags a model suggested for one post.</summary>
/// <param name="PostId">The forum's post id, or one derived from the text when the forum gave none (see <see cref="FeedbackStore.IdOf"/>).</param>
/// <param name="ModelVersion">The version of the model that made the suggestions.</param>
/// <param name="ModelName">The served model's name (<c>default</c>, or the key of <c>Models:NAME</c>).</param>
public sealed record FeedbackEntry(
    PostId PostId,
    string ModelVersion,
    string ModelName,
    string Text,
    IReadOnlyList<string> Accepted,
    IReadOnlyList<string> Rejected,
    DateTimeOffset ReceivedUtc);

/// <summary>What recording a verdict did.</summary>
public enum FeedbackWrite
{
    /// <summary>The first verdict for this post and model version.</summary>
    Created,

    /// <summary>The same verdict was already there: nothing changed (a retried request).</summary>
    Unchanged,

    /// <summary>A different verdict for this post and model version was there and is replaced (a moderator changed their mind).</summary>
    Replaced,
}

/// <summary>
/// Moderators' verdicts in a SQLite database (Microsoft.Data.Sqlite), one row per (post id, model version), so that
/// sending the same verdict twice records it once. Write-ahead logging with full synchronous commits: a verdict that
/// was answered is on disk, whatever happens to the process afterwards. Each call opens a pooled connection, so one
/// instance serves any number of threads.
/// </summary>
public sealed class FeedbackStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS feedback (
            post_id       TEXT NOT NULL,
            model_version TEXT NOT NULL,
            model_name    TEXT NOT NULL,
            post_text     TEXT NOT NULL,
            accepted      TEXT NOT NULL,
            rejected      TEXT NOT NULL,
            received_utc  TEXT NOT NULL,
            PRIMARY KEY (post_id, model_version)
        );
        """;

    private readonly string connectionString;
    private readonly Lazy<Task> ready;

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=stores/feedback.db</c>;
    /// the database file and its folder are created on first use.</param>
    /// <param name="baseDirectory">What a relative Data Source is relative to (default: the current directory).</param>
    public FeedbackStore(string connectionString, string? baseDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("the feedback connection string names no Data Source (the database file)", nameof(connectionString));
        }

        if (builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory ?? Environment.CurrentDirectory);
        }

        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && builder.DataSource != ":memory:")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
        }

        this.connectionString = builder.ToString();
        DataSource = builder.DataSource;
        ready = new Lazy<Task>(CreateSchemaAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The database file.</summary>
    public string DataSource { get; }

    /// <summary>The id a post without one gets: <c>sha256:</c> and the first 16 hex digits of its text's SHA-256, so the
    /// same text sent twice is the same post.</summary>
    public static PostId IdOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PostId.FromString("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]);
    }

    /// <summary>Records a verdict; a second verdict for the same post and model version replaces the first.</summary>
    public async Task<FeedbackWrite> RecordAsync(FeedbackEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await ready.Value.ConfigureAwait(false);
        var key = KeyOf(entry.PostId);
        var accepted = JsonSerializer.Serialize(entry.Accepted);
        var rejected = JsonSerializer.Serialize(entry.Rejected);

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE: the look-up and the write see no other writer in between
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var exists = false;
        var existing = connection.CreateCommand();
        await using (existing.ConfigureAwait(false))
        {
            existing.Transaction = transaction;
            existing.CommandText = "SELECT model_name, post_text, accepted, rejected FROM feedback WHERE post_id = $post AND model_version = $version";
            existing.Parameters.AddWithValue("$post", key);
            existing.Parameters.AddWithValue("$version", entry.ModelVersion);
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetString(0) == entry.ModelName && reader.GetString(1) == entry.Text
                    && reader.GetString(2) == accepted && reader.GetString(3) == rejected)
                {
                    return FeedbackWrite.Unchanged;
                }

                exists = true;
            }
        }

        var write = connection.CreateCommand();
        await using (write.ConfigureAwait(false))
        {
            write.Transaction = transaction;
            write.CommandText = !exists
                ? """
                  INSERT INTO feedback (post_id, model_version, model_name, post_text, accepted, rejected, received_utc)
                  VALUES ($post, $version, $name, $text, $accepted, $rejected, $received)
                  """
                : """
                  UPDATE feedback SET model_name = $name, post_text = $text, accepted = $accepted, rejected = $rejected,
                      received_utc = $received
                  WHERE post_id = $post AND model_version = $version
                  """;
            write.Parameters.AddWithValue("$post", key);
            write.Parameters.AddWithValue("$version", entry.ModelVersion);
            write.Parameters.AddWithValue("$name", entry.ModelName);
            write.Parameters.AddWithValue("$text", entry.Text);
            write.Parameters.AddWithValue("$accepted", accepted);
            write.Parameters.AddWithValue("$rejected", rejected);
            write.Parameters.AddWithValue("$received", entry.ReceivedUtc.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return exists ? FeedbackWrite.Replaced : FeedbackWrite.Created;
    }

    /// <summary>Every verdict, oldest first.</summary>
    public async IAsyncEnumerable<FeedbackEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ready.Value.ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = """
                SELECT post_id, model_version, model_name, post_text, accepted, rejected, received_utc
                FROM feedback ORDER BY received_utc, rowid
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new FeedbackEntry(
                    JsonSerializer.Deserialize<PostId>(reader.GetString(0)),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    JsonSerializer.Deserialize<string[]>(reader.GetString(4)) ?? [],
                    JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? [],
                    DateTimeOffset.Parse(reader.GetString(6), System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal));
            }
        }
    }

    /// <summary>
    /// Writes the accepted tags as labeled posts, one JSON object a line (<c>{"id", "post_canonical", "tags"}</c>: what
    /// <see cref="PostReader"/> and so <c>train</c> read), through <see cref="AtomicFile"/>. A post judged under several
    /// model versions counts once, with its latest verdict; a post with no accepted tag is left out. Returns the rows written.
    /// </summary>
    public async Task<int> ExportLabeledAsync(string path, CancellationToken cancellationToken = default)
    {
        var latest = new Dictionary<PostId, FeedbackEntry>();
        var order = new List<PostId>();
        await foreach (var entry in ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!latest.ContainsKey(entry.PostId))
            {
                order.Add(entry.PostId);
            }

            latest[entry.PostId] = entry;
        }

        var rows = order.Select(id => latest[id]).Where(e => e.Accepted.Count > 0).ToArray();
        AtomicFile.Write(path, file =>
        {
            // a data file, not HTML: keep LaTeX's + < > & readable
            using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            foreach (var entry in rows)
            {
                json.WriteStartObject();
                json.WritePropertyName("id");
                entry.PostId.WriteTo(json);
                json.WriteString("post_canonical", entry.Text);
                json.WriteStartArray("tags");
                foreach (var tag in entry.Accepted)
                {
                    json.WriteStringValue(tag);
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                file.WriteByte((byte)'\n');
            }
        });
        return rows.Length;
    }

    /// <summary>The id as its JSON text (<c>8</c> and <c>"8"</c> stay different ids).</summary>
    private static string KeyOf(PostId id) => JsonSerializer.Serialize(id);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var pragma = connection.CreateCommand();
            await using (pragma.ConfigureAwait(false))
            {
                // synchronous is per connection: FULL syncs the log at each commit
                pragma.CommandText = "PRAGMA synchronous = FULL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            // WAL is a property of the database file: set once, it stays
            command.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
