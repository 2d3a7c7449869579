using System.Text.Json;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Labels;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    private static EvaluationReport Sample()
    {
        // labels b, a given out of order: LabelIndex sorts them, and "class" follows that order
        var labels = new LabelIndex(["number theory", "algebra"]);
        var truth = Matrices.Of("10", "01", "11");
        var predicted = Matrices.Of("10", "00", "11");
        return Evaluator.Evaluate(truth, predicted, ["one two", "three four five six seven", "x"], labels);
    }

    [Fact]
    public void Json_has_the_anchors_layout_plus_micro()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;

        root.EnumerateObject().Select(p => p.Name).Should().Equal("overall", "micro", "class", "slices");
        root.GetProperty("overall").EnumerateObject().Select(p => p.Name)
            .Should().Equal("precision", "recall", "f1", "num_samples");
        root.GetProperty("class").EnumerateObject().Select(p => p.Name).Should().Equal("algebra", "number theory");
        root.GetProperty("slices").EnumerateObject().Select(p => p.Name)
            .Should().Equal("short_post", "without_frequent_words");

        // overall num_samples counts posts; a label's counts its support (algebra is true in posts 0 and 2)
        root.GetProperty("overall").GetProperty("num_samples").GetInt64().Should().Be(3);
        root.GetProperty("class").GetProperty("algebra").GetProperty("num_samples").GetInt64().Should().Be(2);
        root.GetProperty("class").GetProperty("number theory").GetProperty("recall").GetDouble().Should().Be(0.5);
    }

    [Fact]
    public void Json_round_trips()
    {
        var report = Sample();

        var back = EvaluationReport.FromJson(report.ToJson());

        back.Overall.Should().Be(report.Overall);
        back.Micro.Should().Be(report.Micro);
        back.Class.Should().Equal(report.Class);
        back.Slices.Should().Equal(report.Slices!);
        back.ToJson(indented: false).Should().Be(report.ToJson(indented: false));
    }

    [Fact]
    public void A_report_without_texts_has_no_slices_key()
    {
        var report = Evaluator.Evaluate(Matrices.Of("1"), Matrices.Of("1"), new LabelIndex(["algebra"]));

        using var json = JsonDocument.Parse(report.ToJson());
        json.RootElement.TryGetProperty("slices", out _).Should().BeFalse();
    }

    [Fact]
    public void The_anchors_own_metrics_file_reads()
    {
        // an excerpt of the anchor's config/test_metrics.json, which has no "micro"
        const string anchor = """
            {
                "overall": {"precision": 0.7401183836270933, "recall": 0.741642537509871, "f1": 0.7350759417104586, "num_samples": 5116},
                "class": {"algebra": {"precision": 0.6378334680679062, "recall": 0.7245179063360881, "f1": 0.6784178847807395, "num_samples": 1089}},
                "slices": {"circle_not_geometry": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "num_samples": 3}}
            }
            """;

        var report = EvaluationReport.FromJson(anchor);

        report.Overall.Should().Be(new MetricSet(0.7401183836270933, 0.741642537509871, 0.7350759417104586, 5116));
        report.Class["algebra"].NumSamples.Should().Be(1089);
        report.Slices!["circle_not_geometry"].Should().Be(new MetricSet(0, 0, 0, 3));
        report.Micro.Should().Be(new MetricSet(0, 0, 0, 0));
    }

    [Fact]
    public void A_file_without_overall_is_an_error()
    {
        var act = () => EvaluationReport.FromJson("""{"class": {}}""");

        act.Should().Throw<JsonException>().WithMessage("*overall*");
    }
}
