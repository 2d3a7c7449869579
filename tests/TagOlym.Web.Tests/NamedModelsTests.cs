using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TagOlym.Core.Models;
using TagOlym.Web.Serving;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>Several named models side by side (<c>Models:NAME:Path</c>): each answers at its own URL, swaps on its own,
/// and readiness reports each; <c>/predict</c> and <c>/model</c> keep serving the default.</summary>
public sealed class NamedModelsTests
{
    private static readonly Lazy<(string A, string B)> Versions = new(() => (VersionOf(TestModels.A), VersionOf(TestModels.B)));

    private static string VersionOf(string path) =>
        FileModelSource.VersionOf(TagModel.Load(path).Manifest.CreatedUtc, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));

    private static async Task<string> VersionAtAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(Url(path));
        var body = await response.ReadJsonAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        return body["version"]!.GetValue<string>();
    }

    private static async Task<string> PredictVersionAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(Url(path), PredictBody(TestModels.Posts[0]));
        var body = await response.ReadJsonAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        return body["model"]!["version"]!.GetValue<string>();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the condition did not come true");
    }

    [Fact]
    public async Task Two_named_models_answer_at_their_own_urls_and_each_swaps_without_touching_the_other()
    {
        var defaultPath = TestModels.CopyOf(TestModels.A);
        var otherPath = TestModels.CopyOf(TestModels.B);
        await using var factory = new ServiceFactory(defaultPath, new Dictionary<string, string?>
        {
            ["Models:competition:Path"] = otherPath,
            ["Model:PollInterval"] = "00:00:00.100",
        });
        using var client = await factory.ReadyClientAsync();
        var (a, b) = Versions.Value;

        (await PredictVersionAsync(client, "/predict")).Should().Be(a);
        (await PredictVersionAsync(client, "/models/default/predict")).Should().Be(a);
        (await PredictVersionAsync(client, "/models/competition/predict")).Should().Be(b);
        (await VersionAtAsync(client, "/model")).Should().Be(a);
        (await VersionAtAsync(client, "/models/competition")).Should().Be(b);
        var list = (await (await client.GetAsync(Url("/models"))).ReadJsonAsync()).AsArray();
        list.Select(m => (m!["key"]!.GetValue<string>(), m["isDefault"]!.GetValue<bool>(), m["serving"]!["version"]!.GetValue<string>()))
            .Should().Equal(("default", true, a), ("competition", false, b));
        var defaultLoaded = (await (await client.GetAsync(Url("/model"))).ReadJsonAsync())["loadedUtc"]!.GetValue<DateTimeOffset>();

        // the competition model moves to A: the default one is not even reloaded
        TestModels.Replace(otherPath, TestModels.A);
        await WaitForAsync(async () => await VersionAtAsync(client, "/models/competition") == a);
        (await PredictVersionAsync(client, "/models/competition/predict")).Should().Be(a);
        var defaultInfo = await (await client.GetAsync(Url("/model"))).ReadJsonAsync();
        defaultInfo["version"]!.GetValue<string>().Should().Be(a);
        defaultInfo["loadedUtc"]!.GetValue<DateTimeOffset>().Should().Be(defaultLoaded, "the default model was not swapped");

        // and now the default moves to B, while the competition model stays on A
        TestModels.Replace(defaultPath, TestModels.B);
        await WaitForAsync(async () => await PredictVersionAsync(client, "/predict") == b);
        (await PredictVersionAsync(client, "/models/competition/predict")).Should().Be(a);
    }

    [Fact]
    public async Task Model_Default_picks_which_listed_model_predict_serves_and_Model_Path_is_then_unused()
    {
        await using var factory = new ServiceFactory(Path.Combine(TestModels.TemporaryDirectory(), "absent.model"), new Dictionary<string, string?>
        {
            ["Models:mse:Path"] = TestModels.CopyOf(TestModels.B),
            ["Models:competition:Path"] = TestModels.CopyOf(TestModels.A),
            ["Model:Default"] = "mse",
        });
        using var client = await factory.ReadyClientAsync();

        (await PredictVersionAsync(client, "/predict")).Should().Be(Versions.Value.B);
        (await PredictVersionAsync(client, "/models/competition/predict")).Should().Be(Versions.Value.A);
        (await client.GetAsync(Url("/models/default"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Readiness_reports_each_model_and_is_503_while_one_of_them_has_no_model()
    {
        var missing = Path.Combine(TestModels.TemporaryDirectory(), "later.model");
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?>
        {
            ["Models:competition:Path"] = missing,
            ["Model:PollInterval"] = "00:00:00.100",
        });
        using var client = factory.CreateClient();
        await WaitForAsync(async () => (await client.PostAsync(Url("/predict"), PredictBody("a post"))).StatusCode == HttpStatusCode.OK);

        using (var notReady = await client.GetAsync(Url("/health/ready")))
        {
            notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            var models = (await notReady.ReadJsonAsync())["checks"]!["model"]!["data"]!["models"]!;
            models["default"]!["status"]!.GetValue<string>().Should().Be("Healthy");
            models["competition"]!["status"]!.GetValue<string>().Should().Be("Unhealthy");
        }

        var unavailable = await client.PostAsync(Url("/models/competition/predict"), PredictBody("a post"));
        (await PredictTests.ExpectProblemAsync(unavailable, HttpStatusCode.ServiceUnavailable))["detail"]!.GetValue<string>().Should().Contain("competition");

        File.Copy(TestModels.B, missing);
        await ServiceFactory.WaitReadyAsync(client);
        var ready = await (await client.GetAsync(Url("/health/ready"))).ReadJsonAsync();
        ready["checks"]!["model"]!["data"]!["models"]!["competition"]!["version"]!.GetValue<string>().Should().Be(Versions.Value.B);
    }

    [Theory]
    [InlineData("/models/nope/predict", "POST")]
    [InlineData("/models/nope", "GET")]
    public async Task An_unknown_model_name_is_a_404_problem_listing_the_served_ones(string path, string method)
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        using var client = await factory.ReadyClientAsync();

        using var response = method == "GET" ? await client.GetAsync(Url(path)) : await client.PostAsync(Url(path), PredictBody("a post"));

        var problem = await PredictTests.ExpectProblemAsync(response, HttpStatusCode.NotFound);
        problem["detail"]!.GetValue<string>().Should().Contain("'nope'").And.Contain("default");
    }

    [Theory]
    [InlineData("Models:Bad Name:Path", "x.model", "Models:Bad Name")]
    [InlineData("Models:other:Path", " ", "Models:other:Path")]
    [InlineData("Model:Default", "Not/Ok", "Model:Default")]
    public void A_model_list_that_cannot_work_stops_the_start_naming_the_key(string key, string value, string named)
    {
        using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?> { [key] = value });

        var act = () => factory.CreateClient();

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage($"*{named}*");
    }
}
