using System.Buffers;
using System.IO.Compression;

namespace TagOlym.Core.Data;

/// <summary>
/// Streams <see cref="PostRecord"/>s from JSON Lines or a JSON array, either one optionally gzip-compressed
/// (detected from the content, not the file name). Only one record's bytes (plus one read block) are held at a
/// time, so a file of any size reads in constant memory. A malformed record becomes a record flagged
/// <see cref="RecordIssues.Malformed"/> with its row number; reading goes on with the next line or element.
/// </summary>
public sealed class PostReader : IDisposable
{
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[],"u8);
    private static readonly SearchValues<byte> StringSpecial = SearchValues.Create("\"\\"u8);

    private readonly Stream _source;
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly RecordParser _parser;
    private readonly PostReaderOptions _options;
    private readonly long? _totalBytes;

    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _records;

    // framing state; _scan is relative to _start
    private int _scan;
    private int _row;
    private bool _discarding;
    private ArrayState _array;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private string? _pendingError;

    private PostReader(Stream source, PostReaderOptions options, bool leaveOpen, string? sourceName)
    {
        _source = source;
        _leaveOpen = leaveOpen;
        _options = options;
        _parser = new RecordParser(options);
        SourceName = sourceName;
        _totalBytes = source.CanSeek ? source.Length : null;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, options.BufferSize));

        IsGzip = PeekGzip(source, out var head);
        var raw = head.Length > 0 ? new PrefixedStream(head, source) : source;
        _input = IsGzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        Format = DetectFormat(options.Format);
    }

    private enum ArrayState
    {
        BeforeElement,
        InElement,
        AfterElement,
        Ended,
    }

    /// <summary>The layout of the source, as given or as detected.</summary>
    public DataFormat Format { get; }

    /// <summary>Whether the source is gzip-compressed.</summary>
    public bool IsGzip { get; }

    /// <summary>The path the reader was opened on, if any.</summary>
    public string? SourceName { get; }

    /// <summary>Opens a file of labeled posts (JSON Lines or JSON array, optionally gzip-compressed).</summary>
    public static PostReader Open(string path, PostReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        try
        {
            return new PostReader(stream, options ?? PostReaderOptions.Labeled, leaveOpen: false, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads records from a stream (e.g. a download or a BigQuery export).</summary>
    public static PostReader Open(Stream stream, PostReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new PostReader(stream, options ?? PostReaderOptions.Labeled, leaveOpen, null);
    }

    /// <summary>All records of a file, streamed; the file is closed when the enumeration ends.</summary>
    public static IEnumerable<PostRecord> ReadAll(string path, PostReaderOptions? options = null)
    {
        using var reader = Open(path, options);
        foreach (var record in reader.ReadRemaining())
        {
            yield return record;
        }
    }

    /// <summary>The next record, or null at the end of the source.</summary>
    public PostRecord? ReadNext()
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        PostRecord? record;
        do
        {
            if (!TryFrame(out record))
            {
                return null;
            }
        }
        while (record is null);

        _records++;
        return record;
    }

    /// <summary>The records not read yet.</summary>
    public IEnumerable<PostRecord> ReadRemaining()
    {
        while (ReadNext() is { } record)
        {
            yield return record;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (!ReferenceEquals(_input, _source))
        {
            _input.Dispose();
        }

        if (!_leaveOpen)
        {
            _source.Dispose();
        }
    }

    private static bool PeekGzip(Stream source, out byte[] head)
    {
        var magic = new byte[2];
        var read = source.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        var gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (source.CanSeek)
        {
            source.Seek(-read, SeekOrigin.Current);
            head = [];
        }
        else
        {
            head = magic[..read];
        }

        return gzip;
    }

    private DataFormat DetectFormat(DataFormat requested)
    {
        // skip a UTF-8 byte order mark and leading white space, then look at the first byte
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            if (pending.StartsWith("\uFEFF"u8))
            {
                _start += 3;
                continue;
            }

            var first = pending.IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0 && !(first == 0 && pending.Length < 3 && pending[0] == 0xEF))
            {
                if (requested == DataFormat.Auto)
                {
                    requested = pending[first] == (byte)'[' ? DataFormat.JsonArray : DataFormat.JsonLines;
                }

                if (requested == DataFormat.JsonArray)
                {
                    if (pending[first] != (byte)'[')
                    {
                        _array = ArrayState.Ended;
                        _pendingError = "the source is not a JSON array (it does not start with '[')";
                    }
                    else
                    {
                        _start += first + 1;
                    }
                }

                return requested;
            }

            if (!Fill())
            {
                // an empty source: no records, whatever the format
                _array = ArrayState.Ended;
                return requested == DataFormat.Auto ? DataFormat.JsonLines : requested;
            }
        }
    }

    /// <summary>Reads more of the source after the pending bytes; false at the end of the source.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = _input.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        _options.Progress?.Report(new ReadProgress(_records, _source.CanSeek ? _source.Position : 0, _totalBytes));
        return true;
    }

    private void Consume(int count)
    {
        _start += count;
        _scan = 0;
    }

    /// <summary>Frames the next record; a null record means a blank line. False at the end of the source.</summary>
    private bool TryFrame(out PostRecord? record) =>
        Format == DataFormat.JsonArray ? TryFrameElement(out record) : TryFrameLine(out record);

    private bool TryFrameLine(out PostRecord? record)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending[_scan..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = _scan + newline;
                _row++;
                record = _discarding ? TooLong() : _parser.Parse(pending[..length], _row);
                _discarding = false;
                Consume(length + 1);
                return true;
            }

            _scan = pending.Length;
            if (_scan > _options.MaxRecordBytes)
            {
                _discarding = true;
                Consume(_scan);
            }

            if (!Fill())
            {
                if (_end > _start || _discarding)
                {
                    _row++;
                    record = _discarding ? TooLong() : _parser.Parse(_buffer.AsSpan(_start, _end - _start), _row);
                    _discarding = false;
                    Consume(_end - _start);
                    return true;
                }

                record = null;
                return false;
            }
        }
    }

    private bool TryFrameElement(out PostRecord? record)
    {
        record = null;
        if (_pendingError is not null)
        {
            // a fatal problem of the array as a whole: report it and read no further
            record = PostRecord.MalformedAt(_row + 1, _pendingError);
            _pendingError = null;
            _row++;
            _start = _end;
            _eof = true;
            return true;
        }

        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            switch (_array)
            {
                case ArrayState.Ended:
                    {
                        var junk = pending.IndexOfAnyExcept(" \t\r\n"u8);
                        if (junk >= 0)
                        {
                            _row++;
                            record = PostRecord.MalformedAt(_row, "unexpected content after the end of the JSON array");
                            _start = _end;
                            _eof = true;
                            return true;
                        }

                        Consume(pending.Length);
                        break;
                    }

                case ArrayState.BeforeElement or ArrayState.AfterElement:
                    {
                        var next = pending.IndexOfAnyExcept(" \t\r\n"u8);
                        if (next < 0)
                        {
                            Consume(pending.Length);
                            break;
                        }

                        var b = pending[next];
                        if (_array == ArrayState.AfterElement && b == (byte)',')
                        {
                            Consume(next + 1);
                            _array = ArrayState.BeforeElement;
                            continue;
                        }

                        if (b == (byte)']')
                        {
                            Consume(next + 1);
                            var trailingComma = _array == ArrayState.BeforeElement && _row > 0;
                            _array = ArrayState.Ended;
                            if (trailingComma)
                            {
                                _row++;
                                record = PostRecord.MalformedAt(_row, "a comma before ']' leaves an empty element");
                                return true;
                            }

                            continue;
                        }

                        if (_array == ArrayState.AfterElement)
                        {
                            // a missing comma: treat what follows as the next element, the parse will tell
                            _array = ArrayState.BeforeElement;
                        }

                        Consume(next);
                        _array = ArrayState.InElement;
                        _depth = 0;
                        _inString = false;
                        _escaped = false;
                        continue;
                    }

                case ArrayState.InElement:
                    {
                        var end = ScanElement(pending);
                        if (end >= 0)
                        {
                            _row++;
                            record = _discarding ? TooLong() : _parser.Parse(pending[..end], _row)
                                ?? PostRecord.MalformedAt(_row, "empty element");
                            _discarding = false;
                            Consume(end);
                            _array = ArrayState.AfterElement;
                            return true;
                        }

                        _scan = pending.Length;
                        if (_scan > _options.MaxRecordBytes)
                        {
                            _discarding = true;
                            var keepScan = _scan;
                            _start += keepScan;
                            _scan = 0;
                        }

                        break;
                    }
            }

            if (!Fill())
            {
                if (_array == ArrayState.Ended)
                {
                    return false;
                }

                const string unclosed = "the JSON array ends without its closing ']'";
                var wasInElement = _array == ArrayState.InElement;
                _array = ArrayState.Ended;
                _row++;
                if (wasInElement)
                {
                    // the last element may be complete: read it, then report the missing ']'
                    record = _discarding
                        ? TooLong()
                        : _parser.Parse(_buffer.AsSpan(_start, _end - _start), _row) ?? PostRecord.MalformedAt(_row, "empty element");
                    _discarding = false;
                    _start = _end;
                    _pendingError = unclosed;
                    return true;
                }

                record = PostRecord.MalformedAt(_row, unclosed);
                return true;
            }
        }
    }

    /// <summary>
    /// Scans an element from <see cref="_scan"/> on, tracking strings and nesting; returns the element's length
    /// when its end (a ',' or ']' at depth 0) is found, else -1 with the scan state kept for the next block.
    /// </summary>
    private int ScanElement(ReadOnlySpan<byte> pending)
    {
        var i = _scan;
        while (i < pending.Length)
        {
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                    i++;
                    continue;
                }

                var special = pending[i..].IndexOfAny(StringSpecial);
                if (special < 0)
                {
                    i = pending.Length;
                    break;
                }

                i += special;
                if (pending[i] == (byte)'\\')
                {
                    _escaped = true;
                }
                else
                {
                    _inString = false;
                }

                i++;
                continue;
            }

            var structural = pending[i..].IndexOfAny(Structural);
            if (structural < 0)
            {
                i = pending.Length;
                break;
            }

            i += structural;
            switch (pending[i])
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}':
                    _depth--;
                    break;
                case (byte)']' when _depth > 0:
                    _depth--;
                    break;
                case (byte)']' or (byte)',' when _depth <= 0:
                    _scan = i;
                    return i;
                default:
                    break;
            }

            i++;
        }

        _scan = i;
        return -1;
    }

    private PostRecord TooLong() =>
        PostRecord.MalformedAt(_row, $"the record is longer than {_options.MaxRecordBytes:N0} bytes (PostReaderOptions.MaxRecordBytes)");

    /// <summary>A read-only stream that first replays a few bytes already taken from the inner stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_offset < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _offset);
                prefix.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }

            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
