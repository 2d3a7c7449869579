using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TagOlym.Core.Data;

namespace TagOlym.Core.Tests.Data;

public sealed class PostReaderTests
{
    private const string ThreeLines =
        """
        {"id": 8, "post_canonical": "Fibonacci $F_n$?", "tags": ["fibonacci-numbers", "combinatorics"]}
        {"id": "train/algebra/0", "post_canonical": "Kevin hops.", "tags": ["Algebra"], "level": "Level 5"}
        {"id": 12345678901234567890, "post_canonical": "\u00e9t\u00e9 \\alpha", "tags": [], "extra": {"nested": [1, {"a": null}]}}
        """;

    private static List<PostRecord> Read(string text, PostReaderOptions? options = null) =>
        Read(Encoding.UTF8.GetBytes(text), options);

    private static List<PostRecord> Read(byte[] bytes, PostReaderOptions? options = null)
    {
        using var reader = PostReader.Open(new MemoryStream(bytes), options);
        return [.. reader.ReadRemaining()];
    }

    [Fact]
    public void Reads_json_lines_with_ids_posts_tags_and_extra_fields()
    {
        var records = Read(ThreeLines);

        records.Select(r => r.Row).Should().Equal(1, 2, 3);
        records.Should().OnlyContain(r => r.Issues == RecordIssues.None);
        records[0].Id.Should().Be(PostId.FromNumber(8));
        records[0].Post.Should().Be("Fibonacci $F_n$?");
        records[0].Tags.Should().Equal("fibonacci-numbers", "combinatorics");
        records[1].Id.Should().Be(PostId.FromString("train/algebra/0"));
        records[1].Tags.Should().Equal("Algebra");
        records[2].Post.Should().Be("été \\alpha");
        records[2].Tags.Should().BeEmpty();
    }

    [Fact]
    public void Ids_keep_whether_they_were_numbers_or_strings_and_write_back_the_same()
    {
        var records = Read(ThreeLines + "\n{\"id\": \"8\", \"post_canonical\": \"x\", \"tags\": []}\n{\"id\": 2.5, \"post_canonical\": \"y\", \"tags\": []}");

        records.Select(r => r.Id.Kind).Should().Equal(PostIdKind.Number, PostIdKind.Text, PostIdKind.Number, PostIdKind.Text, PostIdKind.Number);
        records[0].Id.Should().NotBe(records[3].Id, "8 and \"8\" are different ids");
        records.Select(r => JsonSerializer.Serialize(r.Id)).Should().Equal("8", "\"train/algebra/0\"", "12345678901234567890", "\"8\"", "2.5");
        records[0].Id.TryGetInt64(out var eight).Should().BeTrue();
        eight.Should().Be(8);
        records[2].Id.TryGetInt64(out _).Should().BeFalse();
        records[2].Id.Text.Should().Be("12345678901234567890");
    }

    [Theory]
    [InlineData("{\"id\": 1, \"tags\": []}", RecordIssues.PostMissing)]
    [InlineData("{\"id\": 1, \"post_canonical\": null, \"tags\": []}", RecordIssues.PostMissing)]
    [InlineData("{\"id\": 1, \"post_canonical\": 42, \"tags\": []}", RecordIssues.PostNotString)]
    [InlineData("{\"id\": 1, \"post_canonical\": [\"a\"], \"tags\": []}", RecordIssues.PostNotString)]
    [InlineData("{\"id\": 1, \"post_canonical\": \"  \\n \", \"tags\": []}", RecordIssues.PostEmpty)]
    [InlineData("{\"id\": 1, \"post_canonical\": \"p\"}", RecordIssues.TagsMissing)]
    [InlineData("{\"id\": 1, \"post_canonical\": \"p\", \"tags\": null}", RecordIssues.TagsMissing)]
    [InlineData("{\"id\": 1, \"post_canonical\": \"p\", \"tags\": \"algebra\"}", RecordIssues.TagsNotStrings)]
    [InlineData("{\"id\": 1, \"post_canonical\": \"p\", \"tags\": [\"algebra\", 3]}", RecordIssues.TagsNotStrings)]
    [InlineData("{\"id\": 1, \"post_canonical\": \"p\", \"tags\": {\"a\": 1}}", RecordIssues.TagsNotStrings)]
    [InlineData("{\"post_canonical\": \"p\", \"tags\": []}", RecordIssues.IdMissing)]
    [InlineData("{\"id\": [1], \"post_canonical\": \"p\", \"tags\": []}", RecordIssues.IdMissing)]
    [InlineData("{}", RecordIssues.IdMissing | RecordIssues.PostMissing | RecordIssues.TagsMissing)]
    public void Missing_or_wrongly_typed_fields_are_flagged_not_thrown(string line, RecordIssues issues)
    {
        var record = Read(line).Should().ContainSingle().Subject;

        record.Issues.Should().Be(issues);
        record.HasPost.Should().Be((issues & RecordIssues.AnyPostProblem) == 0);
        record.HasTags.Should().Be((issues & RecordIssues.AnyTagsProblem) == 0);
    }

    [Fact]
    public void A_malformed_line_is_reported_with_its_line_number_and_reading_goes_on()
    {
        var records = Read("{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []}\n\n{\"id\": 2, \"post_canonical\": \"b\", \"tags\": [\n42\n{\"id\": 3} trailing\n{\"id\": 4, \"post_canonical\": \"d\", \"tags\": []}");

        records.Select(r => (r.Row, r.IsMalformed)).Should().Equal((1, false), (3, true), (4, true), (5, true), (6, false));
        records[1].Error.Should().StartWith("invalid JSON");
        records[2].Error.Should().Contain("must be a JSON object");
        records[4].Id.Should().Be(PostId.FromNumber(4));
    }

    [Fact]
    public void Crlf_line_ends_a_byte_order_mark_and_a_last_line_without_newline_are_fine()
    {
        var text = "\uFEFF{\"id\": 1, \"post_canonical\": \"a\", \"tags\": [\"x\"]}\r\n{\"id\": 2, \"post_canonical\": \"b\", \"tags\": []}";

        var records = Read(text);

        records.Should().HaveCount(2).And.OnlyContain(r => r.Issues == RecordIssues.None);
        records[1].Post.Should().Be("b");
    }

    [Fact]
    public void Reads_a_json_array_element_by_element()
    {
        var array = "[\n  " + string.Join(",\n  ", ThreeLines.Split('\n')) + "\n]\n";

        var records = Read(array);

        using (var reader = PostReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(array))))
        {
            reader.Format.Should().Be(DataFormat.JsonArray);
        }

        records.Select(r => r.Row).Should().Equal(1, 2, 3);
        records.Should().BeEquivalentTo(Read(ThreeLines), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(4096)]
    public void Records_that_cross_read_blocks_read_the_same_whatever_the_block_size(int bufferSize)
    {
        var posts = Enumerable.Range(0, 50).Select(i => new string('x', i * 7) + "\"}],[{\\" + i).ToArray();
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var lines = posts.Select((p, i) => JsonSerializer.Serialize(new { id = i, post_canonical = p, tags = new[] { "t" + (i % 3) } }, relaxed)).ToArray();
        lines[1].Should().Contain("\\\"}],[{\\\\", "the posts must exercise escapes inside strings");
        var options = PostReaderOptions.Labeled with { BufferSize = bufferSize };

        var fromLines = Read(string.Join("\n", lines), options);
        var fromArray = Read("[" + string.Join(",", lines) + "]", options);

        fromLines.Select(r => r.Post).Should().Equal(posts);
        fromArray.Select(r => r.Post).Should().Equal(posts);
        fromArray.Select(r => r.Tags![0]).Should().Equal(fromLines.Select(r => r.Tags![0]));
    }

    [Fact]
    public void A_bad_array_element_is_reported_and_the_next_one_still_read()
    {
        var array = "[{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []}, 17, {\"id\": 2, \"post_canonical\": tru, \"tags\": []}, \"just a post\", {\"id\": 4, \"post_canonical\": \"d\", \"tags\": []}]";

        var records = Read(array);

        records.Select(r => (r.Row, r.IsMalformed)).Should().Equal((1, false), (2, true), (3, true), (4, false), (5, false));
        records[3].Post.Should().Be("just a post");
        records[4].Id.Should().Be(PostId.FromNumber(4));
    }

    [Theory]
    [InlineData("[{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []},]", "empty element")]
    [InlineData("[{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []}", "ends without its closing ']'")]
    [InlineData("[{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []},\n", "ends without its closing ']'")]
    [InlineData("[{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []}] {", "after the end of the JSON array")]
    public void A_broken_array_end_is_reported_after_the_good_elements(string array, string error)
    {
        var records = Read(array);

        records.Should().HaveCount(2);
        records[0].IsMalformed.Should().BeFalse();
        records[1].Row.Should().Be(2);
        records[1].Error.Should().Contain(error);
    }

    [Fact]
    public void Empty_sources_have_no_records()
    {
        Read(string.Empty).Should().BeEmpty();
        Read("[]").Should().BeEmpty();
        Read("  \n\n ").Should().BeEmpty();
        Read(string.Empty, PostReaderOptions.Labeled with { Format = DataFormat.JsonArray }).Should().BeEmpty();
        Read("{\"id\": 1}", PostReaderOptions.Labeled with { Format = DataFormat.JsonArray }).Should().ContainSingle()
            .Which.Error.Should().Contain("not a JSON array");
    }

    [Fact]
    public void A_record_longer_than_the_limit_is_reported_and_skipped()
    {
        var big = JsonSerializer.Serialize(new { id = 2, post_canonical = new string('a', 5000), tags = Array.Empty<string>() });
        var small = "{\"id\": 1, \"post_canonical\": \"a\", \"tags\": []}";
        var options = PostReaderOptions.Labeled with { MaxRecordBytes = 1000, BufferSize = 64 };

        foreach (var text in new[] { $"{small}\n{big}\n{small}", $"[{small},{big},{small}]" })
        {
            var records = Read(text, options);

            records.Select(r => r.IsMalformed).Should().Equal(false, true, false);
            records[1].Error.Should().Contain("longer than 1,000 bytes");
        }
    }

    [Fact]
    public void Gzip_is_detected_from_the_content_whatever_the_file_name()
    {
        using var folder = new TempFolder();
        var lines = folder.Write("posts.txt", TestFiles.Gzip(ThreeLines));
        var array = folder.Write("labeled_data.json", TestFiles.Gzip("[" + string.Join(",", ThreeLines.Split('\n')) + "]"));
        var plain = folder.Write("plain.jsonl.gz", ThreeLines);

        foreach (var (path, gzip, format) in new[] { (lines, true, DataFormat.JsonLines), (array, true, DataFormat.JsonArray), (plain, false, DataFormat.JsonLines) })
        {
            using var reader = PostReader.Open(path);
            reader.IsGzip.Should().Be(gzip);
            reader.Format.Should().Be(format);
            reader.ReadRemaining().Select(r => r.Post).Should().Equal("Fibonacci $F_n$?", "Kevin hops.", "été \\alpha");
        }
    }

    [Fact]
    public void Gzip_is_detected_on_a_stream_that_cannot_seek()
    {
        using var stream = new ForwardOnlyStream(TestFiles.Gzip(ThreeLines));
        using var reader = PostReader.Open(stream);

        reader.IsGzip.Should().BeTrue();
        reader.ReadRemaining().Should().HaveCount(3);
    }

    [Fact]
    public void Posts_only_mode_reads_text_or_post_canonical_and_bare_strings()
    {
        var input = "{\"id\": 1, \"text\": \"from text\"}\n{\"id\": 2, \"post_canonical\": \"from canonical\"}\n{\"id\": 3, \"text\": \"text wins\", \"post_canonical\": \"not this\"}\n\"a bare post\"";

        var records = Read(input, PostReaderOptions.PostsOnly);

        records.Select(r => r.Post).Should().Equal("from text", "from canonical", "text wins", "a bare post");
        records.Should().OnlyContain(r => r.HasPost && !r.IsMalformed);
        Read(input).Select(r => r.HasPost).Should().Equal(false, true, true, true);
    }

    [Fact]
    public void Reading_streams_instead_of_loading_the_whole_source()
    {
        // an endless source: only what the first records need may be read from it
        using var source = new EndlessLines();
        using var reader = PostReader.Open(source, PostReaderOptions.Labeled with { BufferSize = 4096 });

        var first = Enumerable.Range(0, 100).Select(_ => reader.ReadNext()!).ToList();

        first.Select(r => r.Id.Text).Should().Equal(Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        source.BytesRead.Should().BeLessThan(64 * 1024);
    }

    [Fact]
    public void Progress_reports_bytes_read_of_the_source()
    {
        using var folder = new TempFolder();
        var path = folder.Write("p.jsonl", ThreeLines);
        var reports = new List<ReadProgress>();
        var options = PostReaderOptions.Labeled with { Progress = new SyncProgress(reports.Add) };

        PostReader.ReadAll(path, options).Should().HaveCount(3);

        reports.Should().NotBeEmpty();
        reports[^1].BytesRead.Should().Be(new FileInfo(path).Length);
        reports[^1].TotalBytes.Should().Be(new FileInfo(path).Length);
    }

    private sealed class SyncProgress(Action<ReadProgress> report) : IProgress<ReadProgress>
    {
        public void Report(ReadProgress value) => report(value);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }

    private sealed class EndlessLines : Stream
    {
        private byte[] _line = [];
        private int _offset;
        private int _next;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _line.Length)
            {
                _line = Encoding.UTF8.GetBytes($"{{\"id\": {_next++}, \"post_canonical\": \"post\", \"tags\": [\"algebra\"]}}\n");
                _offset = 0;
            }

            var n = Math.Min(count, _line.Length - _offset);
            _line.AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset));
            _offset += n;
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Lone_surrogates_and_invalid_utf8_become_replacement_characters_and_the_rows_are_kept_and_flagged()
    {
        var bytes = new List<byte>();
        bytes.AddRange("{\"id\": 1, \"post_canonical\": \"\\ud800 $x$ \\udc00\\n\", \"tags\": [\"algebra\\udfff\"]}\n"u8.ToArray());
        bytes.AddRange("{\"id\": \"a\\ud83d\", \"post_canonical\": \"raw "u8.ToArray());
        bytes.AddRange([0xED, 0xA0, 0x80, 0xFF]); // a UTF-8-encoded surrogate and a byte that never starts UTF-8
        bytes.AddRange(" and \\u00e9 \\ud83d\\ude00 \\\"q\\\"\", \"tags\": []}\n"u8.ToArray());
        bytes.AddRange("{\"id\": 3, \"post_canonical\": \"clean\", \"tags\": []}\n"u8.ToArray());

        var records = Read(bytes.ToArray());

        records.Should().HaveCount(3);
        records[0].Post.Should().Be("\uFFFD $x$ \uFFFD\n");
        records[0].Tags.Should().Equal("algebra\uFFFD");
        records[0].ReplacedCharacters.Should().Be(3);
        records[0].Issues.Should().Be(RecordIssues.TextRepaired);
        records[1].Id.Should().Be(PostId.FromString("a\uFFFD"));
        records[1].Post.Should().StartWith("raw \uFFFD").And.EndWith("\uFFFD and é 😀 \"q\"", "valid escapes and pairs around the bad bytes stay as they were");
        records[1].Issues.Should().Be(RecordIssues.TextRepaired);
        records[1].HasPost.Should().BeTrue();
        records[2].Issues.Should().Be(RecordIssues.None);
        records[2].ReplacedCharacters.Should().Be(0);
    }
}
