namespace TagOlym.Core.Data;

/// <summary>How records are laid out in a source.</summary>
public enum DataFormat
{
    /// <summary>Decide from the content: a source whose first non-blank byte is <c>[</c> is a JSON array, else JSON Lines.</summary>
    Auto = 0,

    /// <summary>One JSON object per line.</summary>
    JsonLines = 1,

    /// <summary>One JSON array of objects (the BigQuery export <c>labeled_data.json</c>).</summary>
    JsonArray = 2,
}

/// <summary>Progress of a read: records so far and bytes of the (possibly compressed) source consumed.</summary>
public readonly record struct ReadProgress(long Records, long BytesRead, long? TotalBytes);

/// <summary>Options of <see cref="PostReader"/>. The defaults read labeled posts (<c>id</c>, <c>post_canonical</c>, <c>tags</c>).</summary>
public sealed record PostReaderOptions
{
    /// <summary>Labeled posts: <c>id</c>, <c>post_canonical</c>, <c>tags</c>.</summary>
    public static PostReaderOptions Labeled { get; } = new();

    /// <summary>Posts to predict: the post is in <c>text</c> or, failing that, <c>post_canonical</c>; tags are read if present.</summary>
    public static PostReaderOptions PostsOnly { get; } = new() { PostFields = ["text", "post_canonical"] };

    /// <summary>Record layout; <see cref="DataFormat.Auto"/> looks at the content. Gzip compression is always detected from the content.</summary>
    public DataFormat Format { get; init; } = DataFormat.Auto;

    /// <summary>Fields that may hold the post, by preference: the first one present in a record is used.</summary>
    public IReadOnlyList<string> PostFields { get; init; } = ["post_canonical"];

    public string IdField { get; init; } = "id";

    public string TagsField { get; init; } = "tags";

    /// <summary>A record longer than this (in bytes) is reported as malformed and skipped, so a broken file cannot exhaust memory.</summary>
    public int MaxRecordBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Told after each block read from the source.</summary>
    public IProgress<ReadProgress>? Progress { get; init; }

    /// <summary>Size of the first read buffer; it grows when one record does not fit. Small values are for tests.</summary>
    internal int BufferSize { get; init; } = 1 << 20;
}
