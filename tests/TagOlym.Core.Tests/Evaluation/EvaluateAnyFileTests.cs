using TagOlym.Core.Data;
using TagOlym.Core.Evaluation;
using TagOlym.Core.Training;
using TagOlym.Core.Tests.Models;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class EvaluateAnyFileTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void A_model_is_measured_on_a_file_that_lacks_most_of_its_labels_and_those_have_no_support()
    {
        var math = SharedData.Path("data", "math-competition.jsonl.gz");

        // training on it would be refused: seven of the ten labels have no post
        var refuse = () => ValidateStage.Run(math, fixture.Result.Model.Taxonomy);
        refuse.Should().Throw<DataValidationException>().WithMessage("*rare_labels*");

        var (validation, metrics, report) = EvaluateStage.OnFile(fixture.Result.Model, math);

        validation.Errors.Should().BeEmpty();
        metrics.Overall.NumSamples.Should().Be(7500);
        metrics.Class.Where(c => c.Value.NumSamples == 0).Select(c => c.Key).Should().BeEquivalentTo(
            "circle", "combinatorics", "function", "inequality", "modular arithmetic", "polynomial", "trigonometry");
        metrics.Class["algebra"].NumSamples.Should().Be(4244);
        metrics.Class["geometry"].F1.Should().BeGreaterThan(0.3, "a model of Math Stack Exchange still finds MATH's geometry");

        report.Splits.Should().ContainSingle().Which.Name.Should().Be("math-competition.jsonl.gz");
        report.Baselines.Select(b => b.Name).Should().Equal("random", "rules");
        var html = HtmlReport.Render(report);
        html.Should().Contain("no support: no post carries this label").And.Contain(fixture.Result.Model.Manifest.DataFingerprint);
    }
}
