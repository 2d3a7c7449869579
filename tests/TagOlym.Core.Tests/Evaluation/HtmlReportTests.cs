using System.Xml.Linq;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class HtmlReportTests
{
    private static readonly LabelIndex Labels = new(["algebra", "geometry", "number theory"]);

    /// <summary>A split of <paramref name="posts"/> posts whose scores follow the truth with noise; <paramref name="absent"/> is carried by no post.</summary>
    private static ReportSplit Split(string name, int posts, int seed, int absent = -1)
    {
        var random = new Random(seed);
        var truth = new LabelMatrix(posts, Labels.Count);
        var scores = new double[posts][];
        var texts = new string[posts];
        for (var i = 0; i < posts; i++)
        {
            scores[i] = new double[Labels.Count];
            for (var l = 0; l < Labels.Count; l++)
            {
                truth[i, l] = l != absent && random.NextDouble() < 0.3;
                scores[i][l] = Math.Clamp((truth[i, l] ? 0.65 : 0.3) + ((random.NextDouble() - 0.5) * 0.7), 0, 1);
            }

            texts[i] = i % 7 == 0 ? "short post" : "a longer post about an inequality and a circle in a triangle";
        }

        var predicted = new LabelMatrix(posts, Labels.Count);
        for (var i = 0; i < posts; i++)
        {
            new LabelThresholds(Thresholds).Decide(scores[i], predicted.Row(i));
        }

        return new ReportSplit(name, truth, scores, Evaluator.Evaluate(truth, predicted, texts, Labels));
    }

    private static readonly double[] Thresholds = [0.45, 0.5, 0.55];

    private static ReportInput Input(int posts = 400) => new()
    {
        Title = "Evaluation of <test> & friends",
        Labels = Labels.Names,
        Thresholds = Thresholds,
        Splits = [Split("val", posts, 1), Split("test", posts, 2, absent: 2)],
        Baselines = [new ReportBaseline("rules", "test", Split("test", posts, 3, absent: 2).Metrics)],
        ArgumentsJson = """{"loss":"log_loss","alpha":0.0001}""",
        DataFingerprint = "0123abcd",
        Details = [new("model", "tagolym 1")],
    };

    /// <summary>The report parsed as XML (it is written well-formed on purpose, so tests can read its structure).</summary>
    private static XElement Parse(string html) => XElement.Parse(html["<!DOCTYPE html>".Length..]);

    private static IEnumerable<XElement> WithClass(XElement root, string name, string cssClass) =>
        root.Descendants(name).Where(e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cssClass));

    [Fact]
    public void The_report_is_one_well_formed_file_with_every_section_and_nothing_that_loads_from_elsewhere()
    {
        var html = HtmlReport.Render(Input());
        var root = Parse(html);

        root.Descendants("section").Select(s => (string?)s.Attribute("id")).Should().Equal(
            "overall", "ranking", "labels", "curves", "f1", "slices", "support", "cooccurrence", "model");
        root.Descendants("script").Should().BeEmpty();
        root.Descendants().Attributes("src").Should().BeEmpty();
        root.Descendants().Attributes("href").Select(a => a.Value).Should().OnlyContain(v => v.StartsWith('#') || v == "data:,");
        html.Should().NotContain("url(").And.NotContain("@import").And.NotContain("<test>", "text is escaped");
        root.Descendants().Attributes("id").Select(a => a.Value).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Every_plot_draws_marks_and_a_label_without_support_says_so_instead_of_plotting()
    {
        var root = Parse(HtmlReport.Render(Input()));

        var plots = WithClass(root, "svg", "plot").ToArray();
        plots.Select(p => (string)p.Attribute("id")!).Should().BeEquivalentTo(
            "bars", "pr-0", "pr-1", "pr-2", "f1-0", "f1-1", "f1-2", "cooccurrence-true", "cooccurrence-predicted");
        foreach (var plot in plots)
        {
            plot.Descendants().Where(e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains("mark"))
                .Should().NotBeEmpty($"plot {plot.Attribute("id")} draws data");
        }

        // number theory has posts in val only: its curves show one line, and the test pictures say "no support"
        WithClass(root.Descendants("svg").Single(s => (string?)s.Attribute("id") == "pr-2"), "path", "line").Should().HaveCount(1);
        WithClass(root.Descendants("svg").Single(s => (string?)s.Attribute("id") == "pr-0"), "path", "line").Should().HaveCount(2);
        WithClass(root.Descendants("svg").Single(s => (string?)s.Attribute("id") == "f1-0"), "line", "rule").Should().HaveCount(1, "the chosen threshold");
        var labelsTable = root.Descendants("section").Single(s => (string?)s.Attribute("id") == "labels").Descendants("tr")
            .Single(r => r.Elements("td").FirstOrDefault()?.Value == "number theory");
        labelsTable.Value.Should().Contain("no support");
        root.Descendants("svg").Single(s => (string?)s.Attribute("id") == "bars").Value.Should().Contain("no support");
    }

    [Fact]
    public void The_tables_hold_the_given_metrics_and_the_ranking_metrics_of_the_scores()
    {
        var input = Input();
        var root = Parse(HtmlReport.Render(input));

        var overall = root.Descendants("section").Single(s => (string?)s.Attribute("id") == "overall").Descendants("tbody").Single().Elements("tr")
            .Select(r => r.Elements("td").Select(td => td.Value).ToArray()).ToArray();
        overall.Select(r => $"{r[0]} {r[1]}").Should().Equal("model val", "model test", "rules test");
        overall[1][5].Should().Be(input.Splits[1].Metrics.Overall.F1.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));

        var ranking = RankingMetrics.Of(input.Splits[0].Truth, input.Splits[0].Scores);
        var rankingRow = root.Descendants("section").Single(s => (string?)s.Attribute("id") == "ranking").Descendants("tbody").Single().Elements("tr").First()
            .Elements("td").Select(td => td.Value).ToArray();
        rankingRow[4].Should().Be(ranking.Lrap.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));

        var slices = root.Descendants("section").Single(s => (string?)s.Attribute("id") == "slices").Descendants("tbody").Single().Elements("tr")
            .Select(r => r.Elements("td").First().Value);
        slices.Should().Contain("short_post");
        root.Descendants("pre").Single().Value.Should().Contain("\"loss\": \"log_loss\"", "the arguments are pretty-printed");
        root.Value.Should().Contain("0123abcd");
    }

    [Fact]
    public void Cooccurrence_counts_posts_with_both_labels()
    {
        var counts = Matrices.Of("110", "111", "001", "000").Cooccurrence();

        counts.Select(r => string.Join(",", r)).Should().Equal("2,2,1", "2,2,1", "1,1,2");
    }

    [Fact]
    public void A_curve_over_many_posts_is_thinned_to_what_a_chart_can_show()
    {
        var root = Parse(HtmlReport.Render(Input(posts: 20_000)));

        var path = WithClass(root.Descendants("svg").Single(s => (string?)s.Attribute("id") == "pr-0"), "path", "line").First();
        var points = ((string)path.Attribute("d")!).Count(c => c is 'M' or 'L');
        points.Should().BeInRange(20, 1500, "20,000 posts give thousands of cuts, one per pixel at most is kept");
    }

    [Fact]
    public void Parts_that_do_not_fit_together_are_refused_with_a_message()
    {
        var good = Input();

        var fewThresholds = () => HtmlReport.Render(good with { Thresholds = [0.5] });
        var unknownBaselineSplit = () => HtmlReport.Render(good with { Baselines = [new ReportBaseline("random", "train", good.Splits[0].Metrics)] });
        var unknownHeldOut = () => HtmlReport.Render(good with { HeldOutSplit = "nope" });
        var sameNames = () => HtmlReport.Render(good with { Splits = [good.Splits[0], good.Splits[0]] });
        var shortScores = () => HtmlReport.Render(good with { Splits = [good.Splits[0] with { Scores = good.Splits[0].Scores.Take(3).ToArray() }] });

        fewThresholds.Should().Throw<ArgumentException>().WithMessage("1 thresholds for 3 labels");
        unknownBaselineSplit.Should().Throw<ArgumentException>().WithMessage("*'train', which is not a split*");
        unknownHeldOut.Should().Throw<ArgumentException>().WithMessage("no split named 'nope'");
        sameNames.Should().Throw<ArgumentException>().WithMessage("split names must be distinct");
        shortScores.Should().Throw<ArgumentException>().WithMessage("*one score per label for each of its 400 posts");
    }

    [Fact]
    public void Write_puts_the_whole_report_in_place_and_leaves_no_temporary_file()
    {
        var directory = SampleData.TemporaryDirectory();
        var path = Path.Combine(directory, "report.html");

        HtmlReport.Write(path, Input());

        Directory.GetFiles(directory).Should().Equal(path);
        File.ReadAllText(path).Should().StartWith("<!DOCTYPE html>").And.EndWith("</html>");
    }
}
