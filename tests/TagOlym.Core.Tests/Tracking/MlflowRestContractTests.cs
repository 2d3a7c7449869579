using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>
/// Replays the 47 exchanges recorded from a real MLflow 2.9.2 server, against both of its backends (sqlite and file):
/// the client must send exactly what the server accepted and understand what it answered, errors included.
/// </summary>
public sealed class MlflowRestContractTests
{
    private const string Base = "http://127.0.0.1:5000";

    public static TheoryData<string, string> Exchanges()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in RecordedExchange.Backends)
        {
            foreach (var name in RecordedExchange.Names(backend))
            {
                data.Add(backend, name);
            }
        }

        return data;
    }

    [Fact]
    public void Every_recorded_exchange_has_a_replay()
    {
        foreach (var backend in RecordedExchange.Backends)
        {
            RecordedExchange.Names(backend).Should().HaveCount(47).And.OnlyContain(n => Replays.ContainsKey(n), backend);
        }
    }

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task The_client_sends_what_the_server_accepted_and_reads_what_it_answered(string backend, string name)
    {
        var exchange = RecordedExchange.Load(backend, name);
        if (name == "03-runs-create")
        {
            // MLflow's own client sends the run's user as user_id (the recording's client did not); that the server
            // keeps it is shown against the real server (MlflowServerTests)
            var body = exchange.RequestBody!.DeepClone().AsObject();
            body["user_id"] = "ci-bot";
            exchange = exchange with { RequestBody = body };
        }

        var context = new Context(backend);
        var handler = new ReplayHandler(exchange);
        using var store = new MlflowRestStore(new Uri(Base), handler, retry: MlflowRetryPolicy.None);

        await Replays[name](store, context, exchange);

        handler.Received.Should().HaveCount(1, "each exchange is one request, and a 4xx is never retried");
    }

    /// <summary>Ids the recordings share: the experiment and run the server created in 01 and 03.</summary>
    private sealed class Context(string backend)
    {
        public string ExperimentId { get; } = RecordedExchange.Load(backend, "01-experiments-create").ResponseBody!["experiment_id"]!.GetValue<string>();

        public string RunId { get; } = RecordedExchange.Load(backend, "03-runs-create").ResponseBody!["run"]!["info"]!["run_id"]!.GetValue<string>();

        public string ArtifactUri => $"mlflow-artifacts:/{ExperimentId}/{RunId}/artifacts";
    }

    private static readonly Dictionary<string, Func<MlflowRestStore, Context, RecordedExchange, Task>> Replays = new()
    {
        ["00-health"] = Raw,
        ["00-version"] = Raw,
        ["01-experiments-create"] = async (s, c, _) =>
            (await s.CreateExperimentAsync("golden-exp", new Dictionary<string, string> { ["team"] = "vision" })).Should().Be(c.ExperimentId),
        ["02-experiments-get-by-name"] = async (s, c, _) => CheckExperiment(await s.GetExperimentByNameAsync("golden-exp"), c),
        ["02b-experiments-get"] = Raw,
        ["03-runs-create"] = async (s, c, _) =>
        {
            var info = await s.CreateRunAsync(c.ExperimentId, "train-1", 1700000000000,
                new Dictionary<string, string> { ["mlflow.user"] = "ci-bot", ["mlflow.source.name"] = "train.cs" });
            info.Should().BeEquivalentTo(new RunInfo(c.RunId, c.ExperimentId, "train-1", "", RunStatus.Running, 1700000000000, null, c.ArtifactUri, "active"));
        },
        ["04-runs-log-parameter"] = Raw,
        ["05-runs-log-metric"] = Raw,
        ["05b-runs-log-metric-step1"] = Raw,
        ["06-runs-log-batch"] = (s, c, _) => s.LogBatchAsync(c.RunId,
            [new Metric("accuracy", 0.8, 1700000003000, 1), new Metric("accuracy", 0.875, 1700000004000, 2)],
            new Dictionary<string, string> { ["epochs"] = "2", ["optimizer"] = "adam" },
            new Dictionary<string, string> { ["stage"] = "train" }),
        ["07-runs-set-tag"] = Raw,
        ["07b-metrics-get-history"] = Raw,
        ["08-artifacts-upload-put"] = (s, c, e) =>
            s.UploadArtifactAsync(c.ArtifactUri, "model/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes(e.RequestBody!.GetValue<string>()))),
        ["08b-artifacts-upload-put-2"] = (s, c, _) =>
            s.UploadArtifactAsync(c.ArtifactUri, "metrics/summary.json", new MemoryStream("""{"loss":0.45,"accuracy":0.875}"""u8.ToArray())),
        ["09-artifacts-list-proxy"] = async (s, c, _) => (await s.ListProxiedArtifactsAsync(c.ArtifactUri)).Should().Equal(
            new ArtifactEntry("metrics", true, null), new ArtifactEntry("model", true, null)),
        ["09b-artifacts-list-proxy-subdir"] = async (s, c, _) => (await s.ListProxiedArtifactsAsync(c.ArtifactUri + "/model")).Should().Equal(
            new ArtifactEntry("MLmodel", false, 96)),
        ["09c-artifacts-list-tracking"] = async (s, c, _) => (await s.ListArtifactsAsync(c.RunId)).Should().Equal(
            new ArtifactEntry("metrics", true, null), new ArtifactEntry("model", true, null)),
        ["09d-artifacts-list-tracking-subdir"] = async (s, c, _) => (await s.ListArtifactsAsync(c.RunId, "model")).Should().Equal(
            new ArtifactEntry("model/MLmodel", false, 96)),
        ["10-artifacts-download-proxy"] = async (s, c, e) =>
        {
            var file = TemporaryFile();
            await s.DownloadProxiedArtifactAsync(c.ArtifactUri + "/model/MLmodel", file);
            (await File.ReadAllTextAsync(file)).Should().Be(e.ResponseText).And.Contain("run_id: " + c.RunId);
        },
        ["10b-artifacts-download-get-artifact"] = Raw,
        ["11-runs-update-finished"] = async (s, c, _) =>
        {
            var info = await s.UpdateRunAsync(c.RunId, RunStatus.Finished, 1700000060000);
            info.Status.Should().Be(RunStatus.Finished);
            info.EndTime.Should().Be(1700000060000);
            info.StartTime.Should().Be(1700000000000);
        },
        ["12-runs-get"] = async (s, c, _) => CheckFinishedRun(await s.GetRunAsync(c.RunId), c),
        ["13-runs-search"] = Raw,
        ["14-registered-models-create"] = async (s, _, _) =>
        {
            var model = await s.CreateRegisteredModelAsync("golden-model", "golden fixture model", new Dictionary<string, string> { ["owner"] = "ci-bot" });
            model.Name.Should().Be("golden-model");
            model.Description.Should().Be("golden fixture model");
            model.Tags.Should().Equal(new Dictionary<string, string> { ["owner"] = "ci-bot" });
            model.LatestVersions.Should().BeEmpty();
            model.CreationTimestamp.Should().BeGreaterThan(0);
        },
        ["15-model-versions-create"] = async (s, c, _) =>
        {
            var version = await s.CreateModelVersionAsync("golden-model", c.ArtifactUri + "/model", c.RunId, "v1");
            CheckVersion(version, c, "None", []);
        },
        ["16-registered-models-alias-set"] = (s, _, _) => s.SetAliasAsync("golden-model", "champion", "1"),
        ["17-registered-models-alias-get"] = async (s, c, _) => CheckVersion(await s.GetModelVersionByAliasAsync("golden-model", "champion"), c, "None", ["champion"]),
        ["18-model-versions-transition-stage"] = Raw,
        ["19-model-versions-get"] = async (s, c, _) => CheckVersion(await s.GetModelVersionAsync("golden-model", "1"), c, "Production", ["champion"]),
        // latest versions carry no aliases from the sqlite backend, and them from the file backend
        ["20-registered-models-get-latest-versions"] = Raw,
        ["20b-registered-models-get-latest-versions-get"] = Raw,
        ["21-registered-models-get"] = async (s, c, e) =>
        {
            var model = await s.GetRegisteredModelAsync("golden-model");
            model.Aliases.Should().Equal(new Dictionary<string, string> { ["champion"] = "1" });
            model.Tags.Should().Equal(new Dictionary<string, string> { ["owner"] = "ci-bot" });
            CheckVersion(model.LatestVersions.Should().ContainSingle().Subject, c, "Production", AliasesIn(e.ResponseBody!["registered_model"]!["latest_versions"]![0]!));
        },
        ["21b-model-versions-get-download-uri"] = Raw,
        ["30-error-runs-get-not-found"] = async (s, _, _) =>
            (await s.Invoking(x => x.GetRunAsync("00000000000000000000000000000000")).Should().ThrowAsync<ResourceDoesNotExistException>())
                .Which.StatusCode.Should().Be(HttpStatusCode.NotFound),
        ["31-error-experiments-create-already-exists"] = async (s, _, _) =>
            (await s.Invoking(x => x.CreateExperimentAsync("golden-exp")).Should().ThrowAsync<ResourceAlreadyExistsException>())
                .Which.Message.Should().Contain("golden-exp"),
        ["32-error-malformed-json-body"] = async (s, _, e) =>
            // the typed client cannot send a truncated body; the raw call checks the answer is mapped
            await s.Invoking(x => x.SendRawAsync(HttpMethod.Post, e.Path, new StringContent(e.RequestBody!.GetValue<string>(), Encoding.UTF8, "application/json"), default))
                .Should().ThrowAsync<InvalidParameterValueException>().WithMessage("*run_id*"),
        ["33-error-wrong-type-value"] = async (s, _, e) =>
            // a Metric's value is a double: the typed client cannot send "not-a-number"
            await s.Invoking(x => x.SendRawAsync(HttpMethod.Post, e.Path, new StringContent(e.RequestBody!.ToJsonString(), Encoding.UTF8, "application/json"), default))
                .Should().ThrowAsync<InvalidParameterValueException>().WithMessage("*not-a-number*"),
        ["34-error-missing-required-field"] = async (s, _, e) =>
        {
            // the typed client refuses an empty name before sending anything, with the server's error type
            await s.Invoking(x => x.CreateExperimentAsync("")).Should().ThrowAsync<InvalidParameterValueException>().WithMessage("*'name'*");
            await s.Invoking(x => x.SendRawAsync(HttpMethod.Post, e.Path, new StringContent("{}", Encoding.UTF8, "application/json"), default))
                .Should().ThrowAsync<InvalidParameterValueException>().WithMessage("*'name'*");
        },
        ["35-error-experiments-get-by-name-not-found"] = async (s, _, _) =>
            await s.Invoking(x => x.GetExperimentByNameAsync("no-such-experiment")).Should().ThrowAsync<ResourceDoesNotExistException>(),
        ["36-error-model-versions-get-not-found"] = async (s, _, _) =>
            await s.Invoking(x => x.GetModelVersionAsync("golden-model", "99")).Should().ThrowAsync<ResourceDoesNotExistException>(),
        ["37-error-registered-models-create-already-exists"] = async (s, _, _) =>
            await s.Invoking(x => x.CreateRegisteredModelAsync("golden-model")).Should().ThrowAsync<ResourceAlreadyExistsException>(),
        ["38-error-log-param-change-value"] = async (s, _, e) =>
            await s.Invoking(x => Raw(x, null!, e)).Should().ThrowAsync<InvalidParameterValueException>().WithMessage("Changing param values is not allowed*"),
        ["39-error-wrong-content-type"] = async (s, _, e) =>
            // the typed client always sends application/json (checked on every other exchange)
            await s.Invoking(x => x.SendRawAsync(HttpMethod.Post, e.Path, new StringContent(e.RequestBody!.GetValue<string>(), Encoding.UTF8, "text/plain"), default))
                .Should().ThrowAsync<InvalidParameterValueException>().WithMessage("*Content-Type*"),
        ["40-log-metric-on-finished-run-ok"] = Raw,
        ["41-error-alias-get-not-found"] = async (s, _, _) =>
        {
            // MLflow answers 400 INVALID_PARAMETER_VALUE; the client reports the missing alias as a missing resource
            var error = (await s.Invoking(x => x.GetModelVersionByAliasAsync("golden-model", "nope")).Should().ThrowAsync<ResourceDoesNotExistException>()).Which;
            error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            error.Message.Should().Contain("alias nope not found");
        },
        ["42-error-unknown-endpoint"] = async (s, _, e) =>
        {
            var error = (await s.Invoking(x => x.SendRawAsync(HttpMethod.Get, e.Path, null, default)).Should().ThrowAsync<MlflowException>()).Which;
            error.Should().BeOfType<MlflowException>();
            error.ErrorCode.Should().BeNull();
            error.StatusCode.Should().Be(HttpStatusCode.NotFound);
        },
        ["43-error-wrong-method"] = async (s, _, e) =>
        {
            var error = (await s.Invoking(x => x.SendRawAsync(HttpMethod.Get, e.Path, null, default)).Should().ThrowAsync<MlflowException>()).Which;
            error.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        },
    };

    private static string[] AliasesIn(JsonNode version) =>
        version["aliases"] is JsonArray aliases ? aliases.Select(a => a!.GetValue<string>()).ToArray() : [];

    /// <summary>An exchange of an endpoint TagOlym does not call in its work: sent as recorded through the client's
    /// transport, which must accept the answer (and map an error answer to its exception).</summary>
    private static async Task Raw(MlflowRestStore store, Context context, RecordedExchange exchange) =>
        await
        store.SendRawAsync(new HttpMethod(exchange.Method), exchange.Path, exchange.RequestBody switch
        {
            null => null,
            JsonValue text when text.TryGetValue<string>(out var raw) => new StringContent(raw, Encoding.UTF8, exchange.RequestContentType ?? "text/plain"),
            var json => new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"),
        }, default);

    private static void CheckExperiment(Experiment experiment, Context c)
    {
        experiment.ExperimentId.Should().Be(c.ExperimentId);
        experiment.Name.Should().Be("golden-exp");
        experiment.ArtifactLocation.Should().Be($"mlflow-artifacts:/{c.ExperimentId}");
        experiment.LifecycleStage.Should().Be("active");
        experiment.CreationTime.Should().BeGreaterThan(1_700_000_000_000);
        experiment.Tags.Should().Equal(new Dictionary<string, string> { ["team"] = "vision" });
    }

    private static void CheckFinishedRun(Run run, Context c)
    {
        run.Info.Should().BeEquivalentTo(new RunInfo(c.RunId, c.ExperimentId, "train-1", "", RunStatus.Finished, 1700000000000, 1700000060000, c.ArtifactUri, "active"));
        run.Metrics.Should().BeEquivalentTo([new Metric("loss", 0.45, 1700000002000, 1), new Metric("accuracy", 0.875, 1700000004000, 2)]);
        run.Params.Should().Equal(new Dictionary<string, string> { ["learning_rate"] = "0.01", ["epochs"] = "2", ["optimizer"] = "adam" });
        run.Tags.Should().Contain(new Dictionary<string, string>
        {
            ["mlflow.user"] = "ci-bot", ["mlflow.source.name"] = "train.cs", ["mlflow.runName"] = "train-1", ["stage"] = "train", ["model_type"] = "resnet",
        });
    }

    private static void CheckVersion(ModelVersion version, Context c, string stage, string[] aliases)
    {
        version.Name.Should().Be("golden-model");
        version.Version.Should().Be("1");
        version.Source.Should().Be(c.ArtifactUri + "/model");
        version.RunId.Should().Be(c.RunId);
        version.Status.Should().Be("READY");
        version.Description.Should().Be("v1");
        version.CurrentStage.Should().Be(stage);
        version.Aliases.Should().Equal(aliases);
    }

    private static string TemporaryFile() => Path.Combine(Support.SampleData.TemporaryDirectory(), "artifact");
}

/// <summary>Retries, authentication and the artifact proxy: the parts the recordings do not exercise.</summary>
public sealed class MlflowRestClientTests
{
    private static readonly MlflowRetryPolicy Fast = new(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4));

    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(answers[Math.Min(Requests.Count - 1, answers.Length - 1)](request));
        }
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json = "{}") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private const string Experiment = """{"experiment": {"experiment_id": "7", "name": "x", "artifact_location": "mlflow-artifacts:/7", "lifecycle_stage": "active"}}""";

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Transient_statuses_are_retried_until_the_server_answers(HttpStatusCode transient)
    {
        var handler = new ScriptedHandler(_ => Answer(transient), _ => Answer(transient), _ => Answer(HttpStatusCode.OK, Experiment));
        using var store = new MlflowRestStore(new Uri("http://mlflow"), handler, retry: Fast);

        var experiment = await store.GetExperimentByNameAsync("x");

        experiment.ExperimentId.Should().Be("7");
        handler.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_refused_connection_is_retried()
    {
        var calls = 0;
        var handler = new ScriptedHandler(_ => ++calls < 3
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new System.Net.Sockets.SocketException(111))
            : Answer(HttpStatusCode.OK, Experiment));
        using var store = new MlflowRestStore(new Uri("http://mlflow"), handler, retry: Fast);

        (await store.GetExperimentByNameAsync("x")).Name.Should().Be("x");
        calls.Should().Be(3);
    }

    [Fact]
    public async Task Retries_stop_after_the_last_attempt_with_the_servers_error()
    {
        var handler = new ScriptedHandler(_ => Answer(HttpStatusCode.ServiceUnavailable, """{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "busy"}"""));
        using var store = new MlflowRestStore(new Uri("http://mlflow"), handler, retry: Fast);

        var error = (await store.Invoking(s => s.GetExperimentByNameAsync("x")).Should().ThrowAsync<MlflowException>()).Which;

        error.ErrorCode.Should().Be("TEMPORARILY_UNAVAILABLE");
        handler.Requests.Should().HaveCount(Fast.MaxAttempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task A_client_error_is_never_retried(HttpStatusCode status)
    {
        var handler = new ScriptedHandler(_ => Answer(status, """{"error_code": "INVALID_PARAMETER_VALUE", "message": "no"}"""));
        using var store = new MlflowRestStore(new Uri("http://mlflow"), handler, retry: Fast);

        await store.Invoking(s => s.GetExperimentByNameAsync("x")).Should().ThrowAsync<InvalidParameterValueException>();
        handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_token_is_sent_as_a_bearer_and_wins_over_a_username()
    {
        var variables = new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = "https://mlflow.example/prefix/",
            ["MLFLOW_TRACKING_TOKEN"] = "s3cret",
            ["MLFLOW_TRACKING_USERNAME"] = "alice",
            ["MLFLOW_TRACKING_PASSWORD"] = "pw",
        };
        var handler = new ScriptedHandler(_ => Answer(HttpStatusCode.OK, Experiment));
        using var store = TrackingStores.Open(getVariable: k => variables.GetValueOrDefault(k), handler: handler);

        await store.GetExperimentByNameAsync("x");

        store.Should().BeOfType<MlflowRestStore>();
        handler.Requests[0].Headers.Authorization.Should().Be(new AuthenticationHeaderValue("Bearer", "s3cret"));
        handler.Requests[0].RequestUri!.AbsoluteUri.Should().Be("https://mlflow.example/prefix/api/2.0/mlflow/experiments/get-by-name?experiment_name=x");
        MlflowCredentials.FromEnvironment(k => variables.GetValueOrDefault(k)).ToString().Should().NotContain("s3cret");
    }

    [Fact]
    public async Task A_username_and_password_are_sent_as_basic_authentication_on_every_attempt()
    {
        var handler = new ScriptedHandler(_ => Answer(HttpStatusCode.BadGateway), _ => Answer(HttpStatusCode.OK, Experiment));
        using var store = new MlflowRestStore(new Uri("http://mlflow"), handler, MlflowCredentials.Basic("alice", "pw"), Fast);

        await store.GetExperimentByNameAsync("x");

        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw"));
        handler.Requests.Should().HaveCount(2).And.OnlyContain(r =>
            r.Headers.Authorization!.Scheme == "Basic" && r.Headers.Authorization.Parameter == expected);
    }

    [Fact]
    public async Task A_server_without_the_artifact_proxy_is_reported_not_retried()
    {
        // recorded from `mlflow server --no-serve-artifacts` (golden/mlflow/no-serve-artifacts): 503 with an HTML page
        var recorded = RecordedExchange.Load("no-serve-artifacts", "03-artifacts-upload-put-disabled");
        var handler = new ScriptedHandler(request => recorded.ToResponse(request));
        using var store = new MlflowRestStore(new Uri("http://mlflow"), handler, retry: Fast);

        var error = (await store.Invoking(s => s.UploadArtifactAsync("mlflow-artifacts:/1/4bcd5667f4864d8b89fb8ae9f8fb3f2d/artifacts", "x.txt", new MemoryStream("hello"u8.ToArray())))
            .Should().ThrowAsync<MlflowException>()).Which;

        error.Message.Should().Contain("--no-serve-artifacts");
        handler.Requests.Should().ContainSingle();
        await store.Invoking(s => s.UploadArtifactAsync("/srv/mlflow/test-5005/artifacts/1/x/artifacts", "x.txt", new MemoryStream()))
            .Should().ThrowAsync<MlflowException>().WithMessage("*--serve-artifacts*");
    }

    [Fact]
    public async Task An_empty_answer_is_an_empty_list()
    {
        // recorded: a run without artifacts lists as {"root_uri": ...} with no "files"
        var recorded = RecordedExchange.Load("no-serve-artifacts", "04-artifacts-list-tracking");
        var handler = new ReplayHandler(recorded);
        using var store = new MlflowRestStore(new Uri("http://127.0.0.1:5005"), handler, retry: Fast);

        (await store.ListArtifactsAsync("4bcd5667f4864d8b89fb8ae9f8fb3f2d")).Should().BeEmpty();
    }

    [Fact]
    public async Task Tracking_uris_choose_the_backend()
    {
        var directory = Support.SampleData.TemporaryDirectory();
        using (var local = TrackingStores.Open(Path.Combine(directory, "a"), _ => null))
        {
            local.Should().BeOfType<FileTrackingStore>();
        }

        using (var fileUri = TrackingStores.Open(new Uri(Path.Combine(directory, "b")).AbsoluteUri, _ => null))
        {
            fileUri.Location.Should().Be(Path.Combine(directory, "b"));
        }

        TrackingStores.ResolveUri(null, _ => null).Should().Be("stores/model");
        TrackingStores.ResolveUri(null, k => k == "MLFLOW_TRACKING_URI" ? "http://x:5000" : null).Should().Be("http://x:5000");
        TrackingStores.ResolveUri("elsewhere", k => "http://x:5000").Should().Be("elsewhere");
        FluentActions.Invoking(() => TrackingStores.Open("sqlite:///mlflow.db", _ => null)).Should().Throw<ArgumentException>();
        await Task.CompletedTask;
    }
}
