using System.Security.Cryptography;

namespace TagOlym.Core.Data;

/// <summary>
/// The fixed benchmark split of <c>data/README.md</c>, the same on every system: a row goes by its id alone,
/// <c>b = int(sha256("bench-{id}").hexdigest(), 16) % 100</c> (the id's text in UTF-8), train when
/// <c>b &lt; 70</c>, validation when <c>b &lt; 85</c>, else test.
/// </summary>
public static class BenchmarkSplit
{
    /// <summary>The bucket 0..99 of an id.</summary>
    /// <exception cref="ArgumentException">The id is missing.</exception>
    public static int Bucket(PostId id)
    {
        if (id.IsMissing)
        {
            throw new ArgumentException("the benchmark split needs an id on every row", nameof(id));
        }

        ReadOnlySpan<byte> prefix = "bench-"u8;
        var length = prefix.Length + id.Utf8Length;
        var text = length <= 256 ? stackalloc byte[256] : new byte[length];
        prefix.CopyTo(text);
        if (!id.TryWriteUtf8(text[prefix.Length..], out var written))
        {
            throw new InvalidOperationException("the id did not fit its buffer");
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text[..(prefix.Length + written)], digest);

        // the digest as a 256-bit big-endian number, mod 100, one byte at a time
        var remainder = 0;
        foreach (var b in digest)
        {
            remainder = ((remainder << 8) + b) % 100;
        }

        return remainder;
    }

    /// <summary>The part of an id: train for buckets 0-69, validation 70-84, test 85-99.</summary>
    public static SplitPart PartOf(PostId id) => Bucket(id) switch
    {
        < 70 => SplitPart.Train,
        < 85 => SplitPart.Validation,
        _ => SplitPart.Test,
    };

    /// <summary>The split of rows with these ids (e.g. <see cref="LabeledDataset.Ids"/>).</summary>
    public static DataSplit Split(IReadOnlyList<PostId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var parts = new SplitPart[ids.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = PartOf(ids[i]);
        }

        return new DataSplit(parts);
    }
}
