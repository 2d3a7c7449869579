using TagOlym.Core.Labels;
using TagOlym.Core.Tests.Data;

namespace TagOlym.Core.Tests.Labels;

public sealed class TaxonomyTests
{
    private static readonly Taxonomy Math = Taxonomy.Load(TestFiles.Repo("config", "labels-math.json"));

    [Fact]
    public void Default_has_the_anchors_ten_labels_in_ordinal_order()
    {
        Taxonomy.Default.Labels.Names.Should().Equal(
            "algebra", "circle", "combinatorics", "function", "geometry",
            "inequality", "modular arithmetic", "number theory", "polynomial", "trigonometry");
    }

    [Theory]
    [InlineData("elementary-number-theory", new[] { "number theory" })]
    [InlineData("combinatorial-geometry", new[] { "combinatorics", "geometry" })]
    [InlineData("Algebra_Precalculus", new[] { "algebra" })]
    [InlineData("trigonometry", new[] { "trigonometry" })]
    [InlineData("modular-arithmetic", new[] { "modular arithmetic" })]
    [InlineData("circles", new[] { "circle" })]
    [InlineData("polynomials", new[] { "polynomial" })]
    [InlineData("functional-equations", new[] { "function" })]
    [InlineData("real-analysis", new string[0])]
    [InlineData("number-theor", new[] { "number theory" })]
    [InlineData("numbertheory", new string[0])]
    public void Default_maps_a_raw_tag_by_its_partial_forms(string tag, string[] labels)
    {
        Taxonomy.Default.MapTag(tag).Should().Equal(labels);
    }

    [Fact]
    public void MapTags_gives_distinct_labels_in_index_order()
    {
        Taxonomy.Default.MapTags(["geometry", "trigonometry", "euclidean-geometry", "algebraic-geometry", "calculus"])
            .Should().Equal("algebra", "geometry", "trigonometry");
        Taxonomy.Default.MapTags([]).Should().BeEmpty();
    }

    [Fact]
    public void MarkLabels_sets_the_row_and_counts_the_mapped_tags()
    {
        var row = new bool[10];
        var mapped = Taxonomy.Default.MarkLabels(["inequality", "calculus", "circles"], row);

        mapped.Should().Be(2);
        Taxonomy.Default.Labels.FromRow(row).Should().Equal("circle", "inequality");
    }

    [Fact]
    public void Repeated_tags_map_the_same_from_the_cache()
    {
        var first = Taxonomy.Default.MapTag("combinatorial-geometry");
        var second = Taxonomy.Default.MapTag(new string("combinatorial-geometry".ToCharArray()));

        second.Should().Equal(first);
    }

    [Theory]
    [InlineData("  Number--Theory_ ", "number theory")]
    [InlineData("ALGEBRA", "algebra")]
    [InlineData("a \t b", "a b")]
    [InlineData("-_-", "")]
    public void NormalizeTag_lowercases_and_turns_separators_into_single_spaces(string raw, string normalized)
    {
        Taxonomy.NormalizeTag(raw).Should().Be(normalized);
    }

    [Fact]
    public void The_config_file_is_the_built_in_default()
    {
        var file = Taxonomy.Load(TestFiles.Repo("config", "labels.json"));

        file.Name.Should().Be(Taxonomy.Default.Name);
        file.Rules.Should().BeEquivalentTo(Taxonomy.Default.Rules, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("Algebra", "algebra")]
    [InlineData("Counting & Probability", "counting and probability")]
    [InlineData("Geometry", "geometry")]
    [InlineData("Intermediate Algebra", "intermediate algebra")]
    [InlineData("Number Theory", "number theory")]
    [InlineData("Prealgebra", "prealgebra")]
    [InlineData("Precalculus", "precalculus")]
    public void The_math_taxonomy_maps_each_subject_to_exactly_its_own_label(string subject, string label)
    {
        Math.MapTag(subject).Should().Equal(label);
    }

    [Fact]
    public void The_math_taxonomy_matches_whole_tags_only()
    {
        Math.MapTag("Linear Algebra").Should().BeEmpty();
        Math.MapTag("geometry-of-numbers").Should().BeEmpty();
    }

    [Fact]
    public void ToJson_reads_back_to_the_same_taxonomy()
    {
        foreach (var taxonomy in new[] { Taxonomy.Default, Math })
        {
            var again = Taxonomy.Parse(taxonomy.ToJson());

            again.Name.Should().Be(taxonomy.Name);
            again.Rules.Should().BeEquivalentTo(taxonomy.Rules, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void Contains_and_exact_forms_can_be_mixed_in_one_label()
    {
        var taxonomy = Taxonomy.Parse("""
            { "name": "t", "labels": [ { "label": "calculus", "contains": ["integra"], "exact": ["limits"] } ] }
            """);

        taxonomy.MapTag("integration").Should().Equal("calculus");
        taxonomy.MapTag("limits").Should().Equal("calculus");
        taxonomy.MapTag("limits-of-functions").Should().BeEmpty();
    }

    [Fact]
    public void Load_of_a_missing_file_names_the_path()
    {
        var act = () => Taxonomy.Load("/no/such/labels.json");

        act.Should().Throw<FileNotFoundException>().WithMessage("*/no/such/labels.json*");
    }

    [Theory]
    [InlineData("{ \"name\": \"t\", \"labels\": [ ", "not valid JSON (line 1")]
    [InlineData("[]", "top level must be an object")]
    [InlineData("{ \"labels\": [ { \"label\": \"a\", \"contains\": [\"a\"] } ] }", "\"name\" is missing")]
    [InlineData("{ \"name\": \"t\" }", "\"labels\" must be a non-empty list")]
    [InlineData("{ \"name\": \"t\", \"labels\": [] }", "\"labels\" must be a non-empty list")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"contains\": [\"a\"] } ] }", "labels[0]: \"label\" is missing")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"label\": \"a\" } ] }", "labels[0] (\"a\"): give at least one form")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"label\": \"a\", \"contains\": [] } ] }", "give at least one form")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"label\": \"a\", \"contains\": \"a\" } ] }", "labels[0].contains must be a list of strings")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"label\": \"a\", \"contains\": [\"\"] } ] }", "must hold only non-empty strings")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"label\": \"a\", \"contain\": [\"a\"] } ] }", "labels[0]: unknown property \"contain\"")]
    [InlineData("{ \"name\": \"t\", \"labels\": [ { \"label\": \"a\", \"exact\": [\"a\"] }, { \"label\": \"a\", \"exact\": [\"b\"] } ] }", "label \"a\" is defined more than once")]
    [InlineData("{ \"name\": \"t\", \"lables\": [] }", "unknown property \"lables\"")]
    public void A_bad_file_gives_an_error_that_names_the_file_and_the_problem(string json, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad-labels.json", json);

        var act = () => Taxonomy.Load(path);

        act.Should().Throw<TaxonomyFormatException>()
            .Where(e => e.Message.Contains("bad-labels.json", StringComparison.Ordinal) && e.Message.Contains(problem, StringComparison.Ordinal))
            .Which.SourceName.Should().Be(path);
    }
}
