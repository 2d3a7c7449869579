using System.Collections;
using System.Text;

namespace TagOlym.Core.Data;

/// <summary>
/// Post texts kept as UTF-8 in a few large blocks instead of one string each: half the memory of strings for
/// mostly-ASCII posts, and nothing for the garbage collector to copy. <c>texts[i]</c> decodes a string on each
/// access; <see cref="Utf8"/> gives the bytes without allocating. Immutable; <see cref="Select"/> makes views
/// that share the blocks.
/// </summary>
public sealed class PostTexts : IReadOnlyList<string>
{
    private readonly byte[][] _blocks;
    private readonly int[] _block;
    private readonly int[] _offset;
    private readonly int[] _length;

    private PostTexts(byte[][] blocks, int[] block, int[] offset, int[] length)
    {
        _blocks = blocks;
        _block = block;
        _offset = offset;
        _length = length;
    }

    public int Count => _length.Length;

    public string this[int index] => Encoding.UTF8.GetString(Utf8(index));

    /// <summary>All texts of a list of strings.</summary>
    public static PostTexts From(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var builder = new Builder();
        foreach (var text in texts)
        {
            builder.Add(text);
        }

        return builder.Build();
    }

    /// <summary>The UTF-8 bytes of one text.</summary>
    public ReadOnlySpan<byte> Utf8(int index) => _blocks[_block[index]].AsSpan(_offset[index], _length[index]);

    /// <summary>The texts of the given rows, in the given order, sharing this one's storage.</summary>
    public PostTexts Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var block = new int[rows.Count];
        var offset = new int[rows.Count];
        var length = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            block[i] = _block[row];
            offset[i] = _offset[row];
            length[i] = _length[row];
        }

        return new PostTexts(_blocks, block, offset, length);
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends texts, one block at a time.</summary>
    public sealed class Builder
    {
        private const int BlockSize = 4 << 20;

        private readonly List<byte[]> _blocks = [];
        private readonly List<int> _block = [];
        private readonly List<int> _offset = [];
        private readonly List<int> _length = [];
        private byte[] _current = [];
        private int _used;

        public int Count => _length.Count;

        public void Add(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (_blocks.Count == 0 || bytes > _current.Length - _used)
            {
                _current = new byte[Math.Max(BlockSize, bytes)];
                _blocks.Add(_current);
                _used = 0;
            }

            var written = Encoding.UTF8.GetBytes(text, _current.AsSpan(_used));
            _block.Add(_blocks.Count - 1);
            _offset.Add(_used);
            _length.Add(written);
            _used += written;
        }

        public PostTexts Build() => new([.. _blocks], [.. _block], [.. _offset], [.. _length]);
    }
}
