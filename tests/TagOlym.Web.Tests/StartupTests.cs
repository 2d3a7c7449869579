using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TagOlym.Core.Models;
using TagOlym.Web.Logging;
using TagOlym.Web.Predict;
using TagOlym.Web.Serving;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task In_development_without_a_model_file_a_first_model_is_trained_from_the_sample_saved_and_served()
    {
        const string args = "config/args_fast.json", argsInLog = "args_fast.json";
        var path = Path.Combine(TestModels.TemporaryDirectory(), "sub", "tagolym.model");
        await using var factory = new ServiceFactory(path, new Dictionary<string, string?>
        {
            ["Model:Bootstrap:Enabled"] = "true",
            ["Model:Bootstrap:Data"] = TestModels.SmallSample,
            ["Model:Bootstrap:Args"] = args,
        });

        using var client = await factory.ReadyClientAsync();

        File.Exists(path).Should().BeTrue();
        var saved = TagModel.Load(path);
        saved.Manifest.TrainingRows.Should().BeInRange(1000, 1500);
        factory.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("training a first model") && e.Message.Contains(argsInLog));
        factory.Logs.Entries.Should().Contain(e => e.Message.Contains("saved it to " + path));
        using var response = await client.PredictAsync("Evaluate $\\int_0^1 x^2\\,dx$.");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_model_file_path_trains_from_the_shipped_sample()
    {
        // the repository's own data/ and config/, as a fresh clone would use them
        File.Exists(Core.Tests.Support.SharedData.RepositoryPath("data", "mse-sample.jsonl.gz")).Should().BeTrue();
        var path = Path.Combine(TestModels.TemporaryDirectory(), "tagolym.model");
        await using var factory = new ServiceFactory(path, new Dictionary<string, string?> { ["Model:Bootstrap:Enabled"] = "true" });

        using var client = await factory.ReadyClientAsync();

        TagModel.Load(path).Manifest.TrainingRows.Should().Be(2100, "70 % of the 3,000 sample posts train");
    }

    [Fact]
    public async Task The_default_configuration_trains_from_the_shipped_sample_into_the_registry_and_serves_the_champion()
    {
        // no Model:Path: the shipped models:/tagolym@champion, in an empty store; the repository's own data/ and config/
        using var registry = new TestRegistry();
        await using var factory = new ServiceFactory(null, new Dictionary<string, string?>
        {
            ["Model:Bootstrap:Enabled"] = "true",
            ["Tracking:Uri"] = registry.Directory,
        });

        using var client = await factory.ReadyClientAsync();

        var champion = await registry.Store.GetModelVersionByAliasAsync("tagolym", "champion");
        var info = await (await client.GetAsync(Url("/model"))).ReadJsonAsync();
        info["source"]!.GetValue<string>().Should().Be("models:/tagolym@champion");
        info["version"]!.GetValue<string>().Should().Be(champion.Version).And.Be("1");
        info["runId"]!.GetValue<string>().Should().Be(champion.RunId);
        info["trainingRows"]!.GetValue<int>().Should().Be(2100, "70 % of the 3,000 sample posts train");
        (await registry.Store.GetRunAsync(champion.RunId!)).Params["alpha"].Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_real_kestrel_server_on_a_random_loopback_port_answers_predict_and_health()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        using var client = factory.CreateClient();

        client.BaseAddress!.Host.Should().Be("127.0.0.1");
        client.BaseAddress.Port.Should().BeGreaterThan(0);
        using var plain = new HttpClient { BaseAddress = client.BaseAddress };
        await ServiceFactory.WaitReadyAsync(plain);
        using var response = await plain.PredictAsync("Find all real $x$ with $\\sin x + \\cos x = 1$.", "How many subsets of $\\{1,\\dots,10\\}$ have an even sum?");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadAsAsync<PredictResponse>())!.Predictions.Should().HaveCount(2);
        using var tooBig = await plain.PredictAsync(new string('z', 4_200_000));
        tooBig.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await tooBig.ReadJsonAsync())["limit"]!.GetValue<long>().Should().Be(4 * 1024 * 1024);
    }

    [Fact]
    public async Task Another_model_source_plugs_in_through_a_factory_for_its_uri()
    {
        var copy = TestModels.CopyOf(TestModels.B);
        // asked before the built-in registry factory, which would open models:/ too
        await using var factory = new ServiceFactory("models:/tagolym@champion", services: s =>
            s.Insert(0, ServiceDescriptor.Singleton<IModelSourceFactory>(new FakeRegistry(copy))));

        using var client = await factory.ReadyClientAsync();

        var info = await (await client.GetAsync(Url("/model"))).ReadJsonAsync();
        info["name"]!.GetValue<string>().Should().Be("registry-model");
        info["source"]!.GetValue<string>().Should().Be("models:/tagolym@champion");
    }

    [Fact]
    public void A_registry_uri_without_a_registry_factory_is_a_clear_error()
    {
        var act = () => ModelSources.Open([], "models:/tagolym@champion");

        act.Should().Throw<InvalidOperationException>().WithMessage("*no model registry is configured*");
    }

    private sealed class FakeRegistry(string file) : IModelSourceFactory
    {
        public bool CanOpen(string location) => location.StartsWith("models:/", StringComparison.Ordinal);

        public IModelSource Open(string location) => new Source(location, new FileModelSource(location, file, "registry-model", TimeProvider.System));

        private sealed class Source(string location, IModelSource inner) : IModelSource
        {
            public string Location => location;

            public ValueTask<string?> GetStampAsync(CancellationToken cancellationToken) => inner.GetStampAsync(cancellationToken);

            public ValueTask<ServedModel> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);
        }
    }
}

public sealed class RobustnessTests
{
    [Fact]
    public async Task A_bootstrap_that_fails_is_logged_and_the_service_still_picks_up_a_model_later()
    {
        var directory = TestModels.TemporaryDirectory();
        var badArgs = Path.Combine(directory, "bad-args.json");
        await File.WriteAllTextAsync(badArgs, "{\"loss\": \"no-such-loss\"}");
        var path = Path.Combine(directory, "tagolym.model");
        await using var factory = new ServiceFactory(path, new Dictionary<string, string?>
        {
            ["Model:Bootstrap:Enabled"] = "true",
            ["Model:Bootstrap:Data"] = TestModels.SmallSample,
            ["Model:Bootstrap:Args"] = badArgs,
            ["Model:PollInterval"] = "00:00:00.100",
        });
        using var client = factory.CreateClient();
        for (var i = 0; i < 300 && !factory.Logs.Entries.Any(e => e.Message.Contains("Failed training a first model")); i++)
        {
            await Task.Delay(50);
        }

        factory.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Message.Contains("Failed training a first model"));
        (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        TestModels.Replace(path, TestModels.A);

        await ServiceFactory.WaitReadyAsync(client);
    }

    [Fact]
    public void The_probe_refuses_a_model_that_cannot_answer_the_probe_post()
    {
        var served = new ServedModel(new ModelIdentity("a", "1", null), TestModels.LoadA(), "test", "stamp", DateTimeOffset.UnixEpoch);

        ModelProbe.Check(served, "Prove that $\\sqrt{2}$ is irrational.").Should().BeNull();
        ModelProbe.Check(served, null!).Should().StartWith("the probe post failed");
    }
}

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Predict:MaxPosts", "0", "Predict:MaxPosts")]
    [InlineData("Predict:MaxBodyBytes", "-1", "Predict:MaxBodyBytes")]
    [InlineData("Model:Path", " ", "Model:Path")]
    public void A_limit_that_cannot_work_stops_the_start_with_a_message_naming_the_key(string key, string value, string named)
    {
        // WebApplicationFactory's deferred host now and then reports a failed start as ObjectDisposedException, when
        // the failure disposes the host before the factory reads it (a race in Mvc.Testing): such a start is tried again
        Exception? thrown = null;
        for (var attempt = 0; attempt < 3 && thrown is null or ObjectDisposedException; attempt++)
        {
            using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?> { [key] = value });
            thrown = Record.Exception(() => factory.CreateClient());
        }

        thrown.Should().BeOfType<Microsoft.Extensions.Options.OptionsValidationException>().Which.Message.Should().Match($"*{named}*");
    }

    [Fact]
    public async Task Configured_limits_replace_the_defaults()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?>
        {
            ["Predict:MaxPosts"] = "3",
            ["Predict:MaxPostChars"] = "50",
            ["Predict:MaxBodyBytes"] = "2000",
        });
        using var client = await factory.ReadyClientAsync();

        (await client.PredictAsync("a", "b", "c")).StatusCode.Should().Be(HttpStatusCode.OK);
        var posts = await (await client.PredictAsync("a", "b", "c", "d")).ReadJsonAsync();
        posts["limit"]!.GetValue<int>().Should().Be(3);
        var chars = await (await client.PredictAsync(new string('q', 51))).ReadJsonAsync();
        chars["errors"]!["texts[0].text"]![0]!.GetValue<string>().Should().Contain("at most 50");
        using var body = await client.PredictAsync(new string('q', 2100));
        body.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }
}
