using System.Text.Json;

namespace TagOlym.Core.Data;

/// <summary>
/// Hands out one string instance per distinct short value, so tags that repeat on thousands of posts
/// are decoded without allocating a new string each time. Not thread-safe: one per reader.
/// </summary>
internal sealed class StringPool
{
    private const int MaxPooledLength = 128;
    private const int MaxEntries = 1 << 18;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool()
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The string value of the reader's current string token (see <see cref="JsonStrings.Read"/> for <paramref name="replaced"/>).</summary>
    public string Get(ref Utf8JsonReader reader, out int replaced)
    {
        replaced = 0;
        if (reader.ValueSpan.Length > MaxPooledLength || reader.HasValueSequence)
        {
            return JsonStrings.Read(ref reader, out replaced);
        }

        Span<char> chars = stackalloc char[MaxPooledLength];
        int length;
        try
        {
            length = reader.CopyString(chars);
        }
        catch (InvalidOperationException)
        {
            // a lone surrogate or invalid UTF-8: repaired, and not worth pooling
            return JsonStrings.Read(ref reader, out replaced);
        }

        var value = chars[..length];
        if (_lookup.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        var created = new string(value);
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
