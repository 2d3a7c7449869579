using System.Net;
using TagOlym.Web.ModelInfo;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

public sealed class HealthAndModelTests(ReadyService service) : IClassFixture<ReadyService>
{
    [Theory]
    [InlineData("/health/live", "process")]
    [InlineData("/health/ready", "model")]
    [InlineData("/health", "model")]
    public async Task Health_endpoints_answer_healthy_when_a_model_serves(string path, string check)
    {
        using var response = await service.Client.GetAsync(Url(path));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        body["status"]!.GetValue<string>().Should().Be("Healthy");
        body["checks"]![check]!["status"]!.GetValue<string>().Should().Be("Healthy");
    }

    [Fact]
    public async Task Live_does_not_look_at_the_model_and_ready_does()
    {
        var live = await (await service.Client.GetAsync(Url("/health/live"))).ReadJsonAsync();
        var ready = await (await service.Client.GetAsync(Url("/health/ready"))).ReadJsonAsync();

        live["checks"]!.AsObject().Select(c => c.Key).Should().Equal("process");
        ready["checks"]!.AsObject().Select(c => c.Key).Should().Equal("model");
    }

    [Fact]
    public async Task Model_tells_name_version_labels_thresholds_training_time_and_test_metrics()
    {
        var model = TestModels.LoadA();

        using var response = await service.Client.GetAsync(Url("/model"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var info = (await response.ReadAsAsync<ModelInfoResponse>())!;
        info.Name.Should().Be("tagolym");
        info.Version.Should().StartWith(model.Manifest.CreatedUtc.UtcDateTime.ToString("yyyyMMdd.HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        info.RunId.Should().BeNull();
        info.TrainedUtc.Should().Be(model.Manifest.CreatedUtc);
        info.Labels.Select(l => l.Label).Should().Equal(model.Labels);
        info.Labels.Select(l => l.Threshold).Should().Equal(model.Thresholds);
        info.Loss.Should().Be("hinge", "the test models are config/args_best.json's ensemble");
        info.Members.Should().Equal("sgd", "nb", "subtag");
        info.Combiner.Should().Be(model.Manifest.Combiner).And.StartWith("zscore");
        info.TrainingRows.Should().Be(model.Manifest.TrainingRows).And.BeGreaterThan(1000);
        info.TestMetrics!.Overall.F1.Should().BeInRange(0.3, 1.0);
        info.TestMetrics.Overall.F1.Should().Be(model.Manifest.Metrics!["test"]!["overall"]!["f1"]!.GetValue<double>());
        info.TestMetrics.Class.Keys.Should().Equal(model.Labels);
        info.TrainingArgs!["loss"].GetString().Should().Be("hinge");
        info.TrainingArgs["stage"].GetString().Should().Be("fasttree");
    }

    [Fact]
    public async Task The_version_on_model_is_the_one_predict_reports()
    {
        var info = (await (await service.Client.GetAsync(Url("/model"))).ReadAsAsync<ModelInfoResponse>())!;
        var predict = await (await service.Client.PredictAsync("a post")).ReadJsonAsync();

        predict["model"]!["version"]!.GetValue<string>().Should().Be(info.Version);
    }
}

public sealed class NoModelTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new(Path.Combine(TestModels.TemporaryDirectory(), "missing.model"));
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_model_the_process_is_live_but_not_ready()
    {
        (await client.GetAsync(Url("/health/live"))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var ready = await client.GetAsync(Url("/health/ready"));
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.ReadJsonAsync())["checks"]!["model"]!["description"]!.GetValue<string>().Should().Contain("no model");
        (await client.GetAsync(Url("/health"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Without_a_model_predict_and_model_are_503_problems()
    {
        using var predict = await client.PredictAsync("a post");
        var problem = await PredictTests.ExpectProblemAsync(predict, HttpStatusCode.ServiceUnavailable);
        problem["title"]!.GetValue<string>().Should().Be("No model loaded");
        predict.Headers.RetryAfter.Should().NotBeNull();

        using var model = await client.GetAsync(Url("/model"));
        await PredictTests.ExpectProblemAsync(model, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Without_a_model_the_input_rules_still_answer_first()
    {
        using var response = await client.PostAsync(Url("/predict"), JsonBody("{}"));

        await PredictTests.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
