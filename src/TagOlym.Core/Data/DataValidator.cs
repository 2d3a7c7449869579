using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Data;

/// <summary>
/// Validates labeled posts in one streaming pass: counts problems, duplicates (by a 128-bit hash of the post text,
/// so texts are not kept twice), label and raw-tag statistics, and says of each record whether it is clean. It
/// neither reads nor keeps posts: feed it records with their labels (mapped by the taxonomy) with <see cref="Add"/>
/// and call <see cref="Complete"/>; whoever wants the clean rows keeps the records it accepted.
/// </summary>
public sealed class DataValidator
{
    private const ulong UnknownLabels = ulong.MaxValue;
    private const int TopUnmappedTags = 10;

    private readonly Taxonomy _taxonomy;
    private readonly ValidationRules _rules;
    private readonly int _labelCount;
    private readonly long[] _labelPosts;
    private readonly Dictionary<UInt128, (int Row, ulong Labels)> _postHashes = [];
    private readonly Dictionary<string, long> _tagOccurrences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RowReference>> _examples = new(StringComparer.Ordinal);

    private long _rows;
    private long _clean;
    private long _malformed;
    private long _missingId;
    private long _missingPost;
    private long _nonStringPost;
    private long _emptyPost;
    private long _missingTags;
    private long _invalidTags;
    private long _duplicates;
    private long _conflictingDuplicates;
    private long _withoutLabel;
    private long _repairedRows;
    private long _replacedCharacters;
    private long _severalLabels;
    private bool _completed;

    public DataValidator(Taxonomy taxonomy, ValidationRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        _taxonomy = taxonomy;
        _rules = rules ?? ValidationRules.Default;
        _labelCount = taxonomy.Labels.Count;
        _labelPosts = new long[_labelCount];
    }

    /// <summary>Validates a file and returns its report; nothing is kept but counts.</summary>
    public static ValidationReport Validate(string path, Taxonomy? taxonomy = null, ValidationRules? rules = null, PostReaderOptions? readerOptions = null)
    {
        taxonomy ??= Taxonomy.Default;
        using var reader = PostReader.Open(path, readerOptions);
        var validator = new DataValidator(taxonomy, rules);
        var labels = new bool[taxonomy.Labels.Count];
        while (reader.ReadNext() is { } record)
        {
            validator.Add(record, RecordLabels.Map(taxonomy, record, labels));
        }

        return validator.Complete(reader.SourceName, reader.Format, reader.IsGzip);
    }

    /// <summary>
    /// Takes one record into account, with the labels its tags map to (see <see cref="RecordLabels.Map"/>);
    /// true when it is clean: a usable post, usable tags (when the rules require them), not a dropped duplicate.
    /// </summary>
    public bool Add(PostRecord record, ReadOnlySpan<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_completed)
        {
            throw new InvalidOperationException("the validation is complete");
        }

        _rows++;
        if (record.IsMalformed)
        {
            _malformed++;
            Note("malformed_rows", record, record.Error);
            return false;
        }

        if ((record.Issues & RecordIssues.TextRepaired) != 0)
        {
            _repairedRows++;
            _replacedCharacters += record.ReplacedCharacters;
            Note("invalid_unicode", record, $"{record.ReplacedCharacters} characters replaced by U+FFFD");
        }

        if (record.Id.IsMissing)
        {
            _missingId++;
            Note("missing_ids", record);
        }

        var issues = record.Issues;
        if ((issues & RecordIssues.AnyPostProblem) != 0)
        {
            string detail;
            if ((issues & RecordIssues.PostMissing) != 0)
            {
                _missingPost++;
                detail = "post missing or null";
            }
            else if ((issues & RecordIssues.PostNotString) != 0)
            {
                _nonStringPost++;
                detail = "post is not a string";
            }
            else
            {
                _emptyPost++;
                detail = "post is blank";
            }

            Note("bad_posts", record, detail);
        }

        if (_rules.RequireTags && (issues & RecordIssues.AnyTagsProblem) != 0)
        {
            if ((issues & RecordIssues.TagsMissing) != 0)
            {
                _missingTags++;
                Note("bad_tags", record, "tags missing or null");
            }
            else
            {
                _invalidTags++;
                Note("bad_tags", record, "tags are not a list of strings");
            }
        }

        if (labels.Length != _labelCount)
        {
            throw new ArgumentException($"expected {_labelCount} label flags", nameof(labels));
        }

        var tagsKnown = record.HasTags;
        if (!record.HasPost)
        {
            return false;
        }

        var print = tagsKnown ? Fingerprint(labels) : UnknownLabels;
        var duplicate = IsDuplicate(record, print);
        var clean = tagsKnown || !_rules.RequireTags;
        if (!clean || (duplicate && _rules.DropDuplicatePosts))
        {
            return false;
        }

        _clean++;
        var count = 0;
        for (var j = 0; j < labels.Length; j++)
        {
            if (labels[j])
            {
                _labelPosts[j]++;
                count++;
            }
        }

        if (count == 0)
        {
            _withoutLabel++;
        }
        else if (count > 1)
        {
            _severalLabels++;
        }

        if (tagsKnown)
        {
            foreach (var tag in record.Tags!)
            {
                ref var occurrences = ref CollectionsMarshal.GetValueRefOrAddDefault(_tagOccurrences, tag, out _);
                occurrences++;
            }
        }

        return true;
    }

    /// <summary>Ends the pass: builds the report, its findings judged by the rules.</summary>
    public ValidationReport Complete(string? source = null, DataFormat format = DataFormat.JsonLines, bool gzip = false)
    {
        if (_completed)
        {
            throw new InvalidOperationException("the validation is already complete");
        }

        _completed = true;
        var findings = new List<ValidationFinding>();
        var badPosts = _missingPost + _nonStringPost + _emptyPost;
        var badTags = _missingTags + _invalidTags;

        Judge(findings, "malformed_rows", _malformed, _rules.MaxMalformedShare, "rows are not valid JSON records");
        Judge(findings, "missing_ids", _missingId, _rules.MaxMissingIdShare, "rows have no id (a number or a string)");
        Judge(findings, "bad_posts", badPosts, _rules.MaxBadPostShare,
            $"rows have no usable post ({_missingPost:N0} missing or null, {_nonStringPost:N0} not a string, {_emptyPost:N0} blank)");
        if (_rules.RequireTags)
        {
            Judge(findings, "bad_tags", badTags, _rules.MaxBadTagsShare,
                $"rows have no usable tags ({_missingTags:N0} missing or null, {_invalidTags:N0} not a list of strings)");
        }

        Judge(findings, "duplicate_posts", _duplicates, _rules.MaxDuplicateShare,
            $"rows repeat the post text of an earlier row ({_conflictingDuplicates:N0} of them with other labels)"
            + (_rules.DropDuplicatePosts ? "; only the first of each is kept" : string.Empty));

        Judge(findings, "invalid_unicode", _repairedRows, 1,
            $"rows held lone UTF-16 surrogates or invalid UTF-8 ({_replacedCharacters:N0} characters replaced by U+FFFD, the rows kept)");

        if (_clean < _rules.MinRows)
        {
            findings.Add(new ValidationFinding("too_few_rows", FindingSeverity.Error,
                $"{_clean:N0} clean rows, at least {_rules.MinRows:N0} needed", _clean, Share(_clean, _rows), []));
        }

        var labelCounts = _taxonomy.Labels.Names.Select((name, j) => new LabelCount(name, _labelPosts[j], Share(_labelPosts[j], _clean))).ToArray();
        if (_rules.RequireTags && _clean > 0)
        {
            var rare = labelCounts.Where(l => l.Posts < _rules.MinPostsPerLabel).ToArray();
            if (rare.Length > 0)
            {
                findings.Add(new ValidationFinding("rare_labels", FindingSeverity.Error,
                    $"labels with fewer than {_rules.MinPostsPerLabel:N0} posts: {string.Join(", ", rare.Select(l => $"{l.Label} ({l.Posts:N0})"))}",
                    rare.Length, Share(rare.Length, _labelCount), []));
            }

            if (Share(_withoutLabel, _clean) > _rules.MaxUnlabeledShare)
            {
                findings.Add(new ValidationFinding("unlabeled_posts", FindingSeverity.Error,
                    $"{ValidationReport.Percent(Share(_withoutLabel, _clean))} of clean posts have no label, at most {ValidationReport.Percent(_rules.MaxUnlabeledShare)} allowed",
                    _withoutLabel, Share(_withoutLabel, _clean), []));
            }
        }

        var tags = TagStats();
        if (tags.UnmappedShareOfOccurrences > _rules.MaxUnmappedTagShare)
        {
            findings.Add(new ValidationFinding("unmapped_tags", FindingSeverity.Error,
                $"{ValidationReport.Percent(tags.UnmappedShareOfOccurrences)} of raw tag occurrences map to no label, at most {ValidationReport.Percent(_rules.MaxUnmappedTagShare)} allowed",
                tags.UnmappedOccurrences, tags.UnmappedShareOfOccurrences, []));
        }

        var report = new ValidationReport
        {
            Source = source,
            Format = format == DataFormat.JsonArray ? "json-array" : "json-lines",
            Gzip = gzip,
            Taxonomy = _taxonomy.Name,
            RowsRead = _rows,
            CleanRows = _clean,
            MalformedRows = _malformed,
            MissingIdRows = _missingId,
            MissingPostRows = _missingPost,
            NonStringPostRows = _nonStringPost,
            EmptyPostRows = _emptyPost,
            MissingTagsRows = _missingTags,
            InvalidTagsRows = _invalidTags,
            DuplicatePostRows = _duplicates,
            DuplicatesWithDifferentLabels = _conflictingDuplicates,
            RepairedTextRows = _repairedRows,
            ReplacedCharacters = _replacedCharacters,
            Labels = labelCounts,
            PostsWithoutLabel = _withoutLabel,
            ShareWithoutLabel = Share(_withoutLabel, _clean),
            PostsWithSeveralLabels = _severalLabels,
            ShareWithSeveralLabels = Share(_severalLabels, _clean),
            RawTags = tags,
            Rules = _rules,
            Findings = [.. findings.OrderByDescending(f => f.Severity)],
        };

        return report;
    }

    private static double Share(long count, long of) => of == 0 ? 0 : (double)count / of;

    /// <summary>The labels of a row as 64 bits: exact for up to 64 labels, a hash beyond.</summary>
    private static ulong Fingerprint(ReadOnlySpan<bool> labels)
    {
        ulong print = 0;
        for (var j = 0; j < labels.Length; j++)
        {
            if (labels[j])
            {
                print = labels.Length <= 64 ? print | (1UL << j) : (print ^ (ulong)j) * 0x100000001B3UL;
            }
        }

        return print == UnknownLabels ? print - 1 : print;
    }

    private bool IsDuplicate(PostRecord record, ulong labels)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(record.Post.AsSpan()), digest);
        var key = BinaryPrimitives.ReadUInt128LittleEndian(digest);
        ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_postHashes, key, out var exists);
        if (!exists)
        {
            first = (record.Row, labels);
            return false;
        }

        _duplicates++;
        var conflict = labels != UnknownLabels && first.Labels != UnknownLabels && labels != first.Labels;
        if (conflict)
        {
            _conflictingDuplicates++;
        }

        Note("duplicate_posts", record, $"same post as row {first.Row}" + (conflict ? ", other labels" : string.Empty));
        return true;
    }

    private void Note(string code, PostRecord record, string? detail = null)
    {
        if (!_examples.TryGetValue(code, out var rows))
        {
            rows = [];
            _examples[code] = rows;
        }

        if (rows.Count < _rules.MaxExampleRows)
        {
            rows.Add(new RowReference(record.Row, record.Id, detail));
        }
    }

    private void Judge(List<ValidationFinding> findings, string code, long count, double maxShare, string what)
    {
        if (count == 0)
        {
            return;
        }

        var share = Share(count, _rows);
        var error = share > maxShare;
        var limit = maxShare >= 1 ? string.Empty : error
            ? $", above the {ValidationReport.Percent(maxShare)} allowed"
            : $", within the {ValidationReport.Percent(maxShare)} allowed";
        var rows = _examples.TryGetValue(code, out var examples) ? examples.ToArray() : [];
        findings.Add(new ValidationFinding(code, error ? FindingSeverity.Error : FindingSeverity.Warning,
            $"{count:N0} {what}: {ValidationReport.Percent(share)} of rows{limit}", count, share, rows));
    }

    private RawTagStats TagStats()
    {
        long distinctUnmapped = 0;
        long occurrences = 0;
        long unmappedOccurrences = 0;
        var unmapped = new List<TagCount>();
        foreach (var (tag, count) in _tagOccurrences)
        {
            occurrences += count;
            if (!_taxonomy.IsMapped(tag))
            {
                distinctUnmapped++;
                unmappedOccurrences += count;
                unmapped.Add(new TagCount(tag, count));
            }
        }

        var top = unmapped
            .OrderByDescending(t => t.Occurrences)
            .ThenBy(t => t.Tag, StringComparer.Ordinal)
            .Take(TopUnmappedTags)
            .ToArray();
        return new RawTagStats(
            _tagOccurrences.Count,
            distinctUnmapped,
            Share(distinctUnmapped, _tagOccurrences.Count),
            occurrences,
            unmappedOccurrences,
            Share(unmappedOccurrences, occurrences),
            top);
    }
}
