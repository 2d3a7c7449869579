using System.Text;
using System.Text.Json;
using TagOlym.Core.Data;
using TagOlym.Core.Labels;
using TagOlym.Core.Training;

namespace TagOlym.Core.Tests.Data;

public sealed class DataValidatorTests
{
    // row: 1 ok, 2 duplicate of 1, 3 blank post, 4 malformed, 5 tags not strings, 6 no label, 7 duplicate of 1 with other labels, 8 no id
    private const string Sample =
        """
        {"id": 1, "post_canonical": "Find all $x$.", "tags": ["algebra-precalculus", "inequality"]}
        {"id": 2, "post_canonical": "Find all $x$.", "tags": ["inequality", "algebra"]}
        {"id": 3, "post_canonical": " ", "tags": ["geometry"]}
        {"id": 4, "post_canonical": "broken
        {"id": 5, "post_canonical": "A circle.", "tags": "geometry"}
        {"id": 6, "post_canonical": "A limit.", "tags": ["calculus", "limits"]}
        {"id": 7, "post_canonical": "Find all $x$.", "tags": ["geometry"]}
        {"post_canonical": "Circles and more circles.", "tags": ["circles", "euclidean-geometry", "calculus"]}
        """;

    private static ValidatedData Run(string text, ValidationRules? rules = null, Taxonomy? taxonomy = null)
    {
        using var reader = PostReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        return ValidateStage.Read(reader, taxonomy ?? Taxonomy.Default, rules ?? new ValidationRules { MinPostsPerLabel = 0 });
    }

    [Fact]
    public void Counts_every_kind_of_problem()
    {
        var report = Run(Sample).Report;

        report.RowsRead.Should().Be(8);
        report.MalformedRows.Should().Be(1);
        report.EmptyPostRows.Should().Be(1);
        report.MissingPostRows.Should().Be(0);
        report.InvalidTagsRows.Should().Be(1);
        report.MissingIdRows.Should().Be(1);
        report.DuplicatePostRows.Should().Be(2);
        report.DuplicatesWithDifferentLabels.Should().Be(1);
        report.CleanRows.Should().Be(5, "rows 1, 2, 6, 7 and 8");
    }

    [Fact]
    public void Counts_labels_unlabeled_posts_and_unmapped_tags_over_clean_rows()
    {
        var report = Run(Sample).Report;

        report.Labels.Where(l => l.Posts > 0).Select(l => (l.Label, l.Posts)).Should().Equal(
            ("algebra", 2L), ("circle", 1L), ("geometry", 2L), ("inequality", 2L));
        report.Labels.Single(l => l.Label == "algebra").Share.Should().BeApproximately(0.4, 1e-12);
        report.PostsWithoutLabel.Should().Be(1);
        report.PostsWithSeveralLabels.Should().Be(3, "rows 1, 2 and 8");

        // clean rows' tags: algebra-precalculus, inequality x2, algebra, calculus x2, limits, geometry, circles, euclidean-geometry
        var tags = report.RawTags!;
        tags.DistinctTags.Should().Be(8);
        tags.UnmappedDistinctTags.Should().Be(2);
        tags.UnmappedShareOfDistinct.Should().Be(0.25);
        tags.Occurrences.Should().Be(10);
        tags.UnmappedOccurrences.Should().Be(3);
        tags.UnmappedShareOfOccurrences.Should().BeApproximately(0.3, 1e-12);
        tags.TopUnmapped.Should().Equal(new TagCount("calculus", 2), new TagCount("limits", 1));
    }

    [Fact]
    public void Findings_name_the_offending_rows_and_ids()
    {
        var report = Run(Sample).Report;

        var malformed = report.Findings.Single(f => f.Code == "malformed_rows");
        malformed.Severity.Should().Be(FindingSeverity.Error, "no malformed row is allowed by default");
        malformed.Rows.Should().ContainSingle().Which.Row.Should().Be(4);

        var duplicates = report.Findings.Single(f => f.Code == "duplicate_posts");
        duplicates.Rows.Select(r => (r.Row, r.Id, r.Detail)).Should().Equal(
            (2, PostId.FromNumber(2), "same post as row 1"),
            (7, PostId.FromNumber(7), "same post as row 1, other labels"));

        report.Findings.Single(f => f.Code == "bad_posts").Rows.Should().Equal(new RowReference(3, PostId.FromNumber(3), "post is blank"));
        report.Findings.Single(f => f.Code == "bad_tags").Rows.Should().Equal(new RowReference(5, PostId.FromNumber(5), "tags are not a list of strings"));
        report.Findings.Single(f => f.Code == "missing_ids").Severity.Should().Be(FindingSeverity.Warning);
        report.HasErrors.Should().BeTrue();
    }

    [Fact]
    public void The_rules_decide_which_findings_are_errors()
    {
        var lenient = new ValidationRules { MinPostsPerLabel = 0, MaxMalformedShare = 0.2, MaxBadPostShare = 0.2, MaxBadTagsShare = 0.2, MaxDuplicateShare = 0.5 };
        var strict = lenient with { MaxDuplicateShare = 0 };

        Run(Sample, lenient).Report.HasErrors.Should().BeFalse();
        Run(Sample, strict).Report.Errors.Select(e => e.Code).Should().Equal("duplicate_posts");
        Run(Sample, lenient with { MinPostsPerLabel = 2 }).Report.Errors.Should().ContainSingle()
            .Which.Message.Should().Contain("circle (1)").And.Contain("combinatorics (0)");
        Run(Sample, lenient with { MaxUnlabeledShare = 0.1 }).Report.Errors.Select(e => e.Code).Should().Equal("unlabeled_posts");
        Run(Sample, lenient with { MaxUnmappedTagShare = 0.25 }).Report.Errors.Select(e => e.Code).Should().Equal("unmapped_tags");
        Run(Sample, lenient with { MinRows = 6 }).Report.Errors.Select(e => e.Code).Should().Equal("too_few_rows");
    }

    [Fact]
    public void Example_rows_are_capped()
    {
        var lines = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"{{\"id\": {i}, \"post_canonical\": \"same\", \"tags\": []}}"));

        var finding = Run(lines, new ValidationRules { MinPostsPerLabel = 0, MaxExampleRows = 3, MaxUnlabeledShare = 1 })
            .Report.Findings.Single(f => f.Code == "duplicate_posts");

        finding.Count.Should().Be(29);
        finding.Rows.Select(r => r.Row).Should().Equal(2, 3, 4);
    }

    [Fact]
    public void The_clean_dataset_holds_the_valid_rows_with_their_label_matrix()
    {
        var dataset = Run(Sample).Dataset;

        dataset.Count.Should().Be(5);
        dataset.SourceRows.Should().Equal(1, 2, 6, 7, 8);
        dataset.Ids.Should().Equal(PostId.FromNumber(1), PostId.FromNumber(2), PostId.FromNumber(6), PostId.FromNumber(7), PostId.None);
        dataset.Posts[2].Should().Be("A limit.");
        dataset.Labels.Rows.Should().Be(5);
        dataset.Labels.Labels.Should().Be(10);
        dataset.LabelsOf(0).Should().Equal("algebra", "inequality");
        dataset.LabelsOf(2).Should().BeEmpty();
        dataset.LabelsOf(4).Should().Equal("circle", "geometry");

        var subset = dataset.Subset([4, 0]);
        subset.SourceRows.Should().Equal(8, 1);
        subset.LabelsOf(0).Should().Equal("circle", "geometry");
    }

    [Fact]
    public void Duplicates_can_be_dropped_from_the_clean_dataset()
    {
        var result = Run(Sample, new ValidationRules { MinPostsPerLabel = 0, DropDuplicatePosts = true });

        result.Dataset.SourceRows.Should().Equal(1, 6, 8);
        result.Report.CleanRows.Should().Be(3);
        result.Report.DuplicatePostRows.Should().Be(2);
    }

    [Fact]
    public void Posts_only_rules_do_not_ask_for_tags()
    {
        var input = "{\"id\": 1, \"text\": \"a\"}\n{\"id\": 2, \"post_canonical\": \"b\"}";
        using var reader = PostReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(input)), PostReaderOptions.PostsOnly);

        var result = ValidateStage.Read(reader, Taxonomy.Default, ValidationRules.PostsOnly);

        result.Report.Findings.Should().BeEmpty();
        result.Report.CleanRows.Should().Be(2);
        result.Dataset.Posts.Should().Equal("a", "b");
        Run(input, ValidationRules.PostsOnly).Report.Errors.Select(e => e.Code).Should().Equal(["bad_posts"], "the labeled reader looks at post_canonical only");
    }

    [Fact]
    public void The_report_renders_as_json_that_reads_back()
    {
        var report = Run(Sample).Report;

        var json = report.ToJson();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        root.GetProperty("rows_read").GetInt64().Should().Be(8);
        root.GetProperty("has_errors").GetBoolean().Should().BeTrue();
        root.GetProperty("raw_tags").GetProperty("unmapped_share_of_occurrences").GetDouble().Should().BeApproximately(0.3, 1e-12);
        var finding = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "duplicate_posts");
        finding.GetProperty("severity").GetString().Should().Be("Error", "25 % of rows repeat a post, 1 % is allowed");
        finding.GetProperty("rows")[0].GetProperty("id").ValueKind.Should().Be(JsonValueKind.Number);
        root.GetProperty("rules").GetProperty("max_duplicate_share").GetDouble().Should().Be(0.01);

        var back = ValidationReport.FromJson(json);
        back.Should().BeEquivalentTo(report);
    }

    [Fact]
    public void The_report_renders_as_a_text_table()
    {
        var text = Run(Sample).Report.ToText();

        text.Should().Contain("rows read".PadRight(34) + "8\n");
        text.Should().MatchRegex(@"inequality\s+2\s+40\.00 %");
        text.Should().Contain("ERROR   malformed_rows");
        text.Should().Contain("row 7 (id 7): same post as row 1, other labels");
        text.Should().Contain("row 8 (no id)");
        text.Should().EndWith("result: ERRORS, the data must not be used for training\n");
    }

    [Fact]
    public void The_validate_stage_throws_with_the_report_when_there_are_errors()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.jsonl", Sample);

        var act = () => ValidateStage.Run(path, Taxonomy.Default, new ValidationRules { MinPostsPerLabel = 0 });

        act.Should().Throw<DataValidationException>()
            .Where(e => e.Message.Contains("malformed_rows", StringComparison.Ordinal) && e.Message.Contains("rows 4", StringComparison.Ordinal))
            .Which.Report.MalformedRows.Should().Be(1);
    }

    [Fact]
    public void Validate_reads_a_file_and_keeps_no_dataset()
    {
        using var folder = new TempFolder();
        var path = folder.Write("ok.json", TestFiles.Gzip("[{\"id\": 1, \"post_canonical\": \"a\", \"tags\": [\"geometry\"]}]"));

        var report = DataValidator.Validate(path, rules: new ValidationRules { MinPostsPerLabel = 0 });

        report.Source.Should().Be(path);
        report.Format.Should().Be("json-array");
        report.Gzip.Should().BeTrue();
        report.HasErrors.Should().BeFalse();
        report.Labels.Single(l => l.Label == "geometry").Posts.Should().Be(1);
    }

    [Fact]
    public void A_label_below_the_default_minimum_is_an_error()
    {
        var report = Run("{\"id\": 1, \"post_canonical\": \"a\", \"tags\": [\"geometry\"]}", ValidationRules.Default).Report;

        report.Errors.Select(e => e.Code).Should().Equal("rare_labels");
    }
}

public sealed class PostTextsTests
{
    [Fact]
    public void Texts_read_back_as_written_across_blocks_and_through_views()
    {
        string[] texts = ["", "plain", "été ∑ 𝔽 \\(x\\)", new string('a', 5 << 20), "after a big one"];

        var stored = PostTexts.From(texts);

        stored.Should().Equal(texts);
        stored.Utf8(2).ToArray().Should().Equal(System.Text.Encoding.UTF8.GetBytes(texts[2]));
        stored.Select([4, 2, 2]).Should().Equal(texts[4], texts[2], texts[2]);
    }
}
