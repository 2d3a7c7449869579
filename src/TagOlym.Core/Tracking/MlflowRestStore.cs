using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace TagOlym.Core.Tracking;

/// <summary>
/// An MLflow tracking server through its REST API (2.0), as MLflow 2.9.2 answers it: experiment ids are strings,
/// empty results are <c>{}</c> (no empty arrays), errors are <c>{"error_code", "message"}</c> mapped to
/// <see cref="MlflowException"/> subclasses; messages are source-generated System.Text.Json types (<see cref="MlflowJsonContext"/>).
/// Artifacts go through the server's <c>mlflow-artifacts</c> proxy (<c>mlflow server --serve-artifacts</c>, the default
/// since MLflow 2.0). Transient failures are retried by the standard HTTP resilience pipeline as
/// <see cref="MlflowRetryPolicy"/> says; credentials are sent on every attempt.
/// </summary>
public sealed class MlflowRestStore : ITrackingStore
{
    private const string Api = "/api/2.0/mlflow/";
    private const string ArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient http;
    private readonly string baseUrl;
    private readonly MlflowCredentials credentials;
    private readonly ConcurrentDictionary<string, string> artifactRoots = new(StringComparer.Ordinal);

    /// <param name="trackingUri">The server, e.g. <c>http://mlflow:5000</c> (a path prefix is kept).</param>
    /// <param name="handler">The HTTP handler (tests pass a fake); null for a default one.</param>
    public MlflowRestStore(Uri trackingUri, HttpMessageHandler? handler = null, MlflowCredentials? credentials = null, MlflowRetryPolicy? retry = null)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        if (trackingUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"an MLflow server URI is http(s)://, not {trackingUri.Scheme}:", nameof(trackingUri));
        }

        baseUrl = trackingUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        this.credentials = credentials ?? MlflowCredentials.None;
        var resilience = new ResilienceHandler(Pipeline(retry ?? MlflowRetryPolicy.Default)) { InnerHandler = handler ?? new SocketsHttpHandler() };
        // a handler passed in stays the caller's: the chain is then not disposed with the client
        http = new HttpClient(resilience, disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Each attempt may take 10 minutes (a large model upload); transient failures are retried.</summary>
    private static ResiliencePipeline<HttpResponseMessage> Pipeline(MlflowRetryPolicy retry)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                Delay = retry.InitialDelay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            });
        }

        return builder.AddTimeout(TimeSpan.FromMinutes(10)).Build();
    }

    public string Location => baseUrl;

    /// <summary>Releases the HTTP client (a handler passed in stays the caller's).</summary>
    public void Dispose() => http.Dispose();

    // ---------------------------------------------------------------- experiments

    public async Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        RequireValue(name, "name");
        var answer = await PostAsync("experiments/create", new CreateExperimentRequest(name, KeyValues(tags)), Json.CreateExperimentRequest, Json.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        return answer.ExperimentId ?? throw Malformed("experiments/create", "experiment_id");
    }

    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        ToExperiment((await GetAsync("experiments/get-by-name" + Query(("experiment_name", name)), Json.GetExperimentResponse, cancellationToken).ConfigureAwait(false)).Experiment);

    // ---------------------------------------------------------------- runs

    /// <summary><c>runs/create</c>, with <c>user_id</c> from the <c>mlflow.user</c> tag as MLflow's own client sends it
    /// (the server keeps it as the run's user; without it, the run has none).</summary>
    public async Task<RunInfo> CreateRunAsync(string experimentId, string? runName, long startTime, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        RequireValue(experimentId, "experiment_id");
        var request = new CreateRunRequest(experimentId, tags?.GetValueOrDefault(MlflowTags.User), string.IsNullOrEmpty(runName) ? null : runName, startTime, KeyValues(tags));
        var run = ToRun((await PostAsync("runs/create", request, Json.CreateRunRequest, Json.RunResponse, cancellationToken).ConfigureAwait(false)).Run);
        artifactRoots[run.Info.RunId] = run.Info.ArtifactUri;
        return run.Info;
    }

    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        // the server takes at most 1000 metrics, 100 params and 100 tags per call
        var metricList = (metrics ?? []).Select(m => new MetricMessage(m.Key, m.Value, m.Timestamp, m.Step)).ToList();
        var paramList = KeyValues(parameters) ?? [];
        var tagList = KeyValues(tags) ?? [];
        for (int m = 0, p = 0, t = 0; m < metricList.Count || p < paramList.Count || t < tagList.Count || (m == 0 && p == 0 && t == 0); m += 1000, p += 100, t += 100)
        {
            var request = new LogBatchRequest(runId, Slice(metricList, m, 1000), Slice(paramList, p, 100), Slice(tagList, t, 100));
            await PostAsync("runs/log-batch", request, Json.LogBatchRequest, Json.EmptyResponse, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var request = new LogInputsRequest(runId, datasets.Select(d => new DatasetInputMessage(
            KeyValues(d.Tags) ?? [], new DatasetMessage(d.Name, d.Digest, d.SourceType, d.Source, d.Schema, d.Profile))).ToList());
        await PostAsync("runs/log-inputs", request, Json.LogInputsRequest, Json.EmptyResponse, cancellationToken).ConfigureAwait(false);
    }

    public async Task LogModelAsync(string runId, ModelDescriptor model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        await PostAsync("runs/log-model", new LogModelRequest(runId, model.ToJson().ToJsonString()), Json.LogModelRequest, Json.EmptyResponse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long endTime, CancellationToken cancellationToken = default)
    {
        var request = new UpdateRunRequest(runId, status.ToString().ToUpperInvariant(), endTime);
        return ToRunInfo((await PostAsync("runs/update", request, Json.UpdateRunRequest, Json.UpdateRunResponse, cancellationToken).ConfigureAwait(false)).RunInfo);
    }

    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = ToRun((await GetAsync("runs/get" + Query(("run_id", runId)), Json.RunResponse, cancellationToken).ConfigureAwait(false)).Run);
        artifactRoots[run.Info.RunId] = run.Info.ArtifactUri;
        return run;
    }

    public async Task<IReadOnlyList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        var runs = new List<Run>();
        string? pageToken = null;
        do
        {
            var request = new SearchRunsRequest([.. experimentIds], "ACTIVE_ONLY", 1000, ["attributes.start_time DESC"], pageToken);
            var answer = await PostAsync("runs/search", request, Json.SearchRunsRequest, Json.SearchRunsResponse, cancellationToken).ConfigureAwait(false);
            runs.AddRange((answer.Runs ?? []).Select(ToRun));
            pageToken = string.IsNullOrEmpty(answer.NextPageToken) ? null : answer.NextPageToken;
        }
        while (pageToken is not null);

        return runs;
    }

    // ---------------------------------------------------------------- artifacts

    public async Task LogArtifactAsync(string runId, string localFile, string artifactPath, CancellationToken cancellationToken = default)
    {
        var root = artifactRoots.TryGetValue(runId, out var known) ? known : (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false)).Info.ArtifactUri;
        await using var file = File.OpenRead(localFile);
        await UploadArtifactAsync(root, artifactPath, file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PUT /api/2.0/mlflow-artifacts/artifacts/&lt;root&gt;/&lt;path&gt;</c>: uploads <paramref name="content"/> (seekable:
    /// a retry sends it again from its start) below a run's <c>mlflow-artifacts:</c> root.
    /// </summary>
    public async Task UploadArtifactAsync(string artifactRootUri, string artifactPath, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var url = baseUrl + ArtifactsApi + "/" + EscapePath(ProxyPath(artifactRootUri) + "/" + artifactPath.Trim('/'));
        using var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(ContentTypeOf(artifactPath));
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = body };
        await ReadAsync(request, url, Json.EmptyResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/2.0/mlflow/artifacts/list</c>: works whether the server proxies artifacts or not.</summary>
    public async Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var query = string.IsNullOrEmpty(path) ? Query(("run_id", runId)) : Query(("run_id", runId), ("path", path));
        return ToEntries(await GetAsync("artifacts/list" + query, Json.ListArtifactsResponse, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /api/2.0/mlflow-artifacts/artifacts?path=</c>: the entries below an <c>mlflow-artifacts:</c> URI, paths relative to it.</summary>
    public async Task<IReadOnlyList<ArtifactEntry>> ListProxiedArtifactsAsync(string artifactUri, CancellationToken cancellationToken = default)
    {
        var url = baseUrl + ArtifactsApi + "?path=" + EscapePath(ProxyPath(artifactUri));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return ToEntries(await ReadAsync(request, url, Json.ListArtifactsResponse, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /api/2.0/mlflow-artifacts/artifacts/&lt;path&gt;</c>: one proxied artifact file into <paramref name="localFile"/> (atomically).</summary>
    public async Task DownloadProxiedArtifactAsync(string artifactUri, string localFile, CancellationToken cancellationToken = default)
    {
        // streamed to a temporary file and renamed: a model of 100 MB is never held in memory, nor seen half-written
        var url = baseUrl + ArtifactsApi + "/" + EscapePath(ProxyPath(artifactUri));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), url);
        }

        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        AtomicFile.Write(localFile, file => body.CopyTo(file));
    }

    public async Task<string> DownloadArtifactsAsync(string artifactUri, string destinationDirectory, CancellationToken cancellationToken = default)
    {
        var proxyPath = ProxyPath(artifactUri);
        var target = Path.Combine(destinationDirectory, proxyPath.Replace('/', Path.DirectorySeparatorChar));
        var entries = await ListProxiedArtifactsAsync(artifactUri, cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            // a file (or nothing: then the download answers 404)
            await DownloadProxiedArtifactAsync(artifactUri, target, cancellationToken).ConfigureAwait(false);
            return target;
        }

        foreach (var entry in entries)
        {
            var child = artifactUri.TrimEnd('/') + "/" + entry.Path.Split('/')[^1];
            if (entry.IsDirectory)
            {
                await DownloadArtifactsAsync(child, destinationDirectory, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // a run's artifacts do not change: a cached file of the listed size is the same file
                var local = Path.Combine(target, entry.Path.Split('/')[^1]);
                if (entry.FileSize is not { } size || !File.Exists(local) || new FileInfo(local).Length != size)
                {
                    await DownloadProxiedArtifactAsync(child, local, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return target;
    }

    /// <summary><c>mlflow-artifacts:/1/abc/artifacts</c> (or <c>mlflow-artifacts://host/1/abc/artifacts</c>) -> <c>1/abc/artifacts</c>.</summary>
    internal static string ProxyPath(string artifactUri)
    {
        if (!artifactUri.StartsWith("mlflow-artifacts:", StringComparison.Ordinal))
        {
            throw new MlflowException(
                $"the artifact location {artifactUri} is not served by the MLflow server (no mlflow-artifacts: proxy): start the server with --serve-artifacts, or use a file store");
        }

        var rest = artifactUri["mlflow-artifacts:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? "" : rest[slash..];
        }

        return rest.Trim('/');
    }

    /// <summary>The content type MLflow's own client sends for an artifact: JSON, text (MLmodel has no extension), or bytes.</summary>
    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".txt" or ".yaml" or ".yml" or ".md" or "" => "text/plain",
        _ => "application/octet-stream",
    };

    // ---------------------------------------------------------------- registry

    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        RequireValue(name, "name");
        var request = new CreateRegisteredModelRequest(name, description, KeyValues(tags));
        return ToRegisteredModel((await PostAsync("registered-models/create", request, Json.CreateRegisteredModelRequest, Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false)).RegisteredModel);
    }

    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        ToRegisteredModel((await GetAsync("registered-models/get" + Query(("name", name)), Json.RegisteredModelResponse, cancellationToken).ConfigureAwait(false)).RegisteredModel);

    public async Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await GetAsync("registered-models/search" + Query(("max_results", "1000")), Json.SearchRegisteredModelsResponse, cancellationToken).ConfigureAwait(false);
        return (answer.RegisteredModels ?? []).Select(ToRegisteredModel).ToList();
    }

    public async Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId, string? description = null, CancellationToken cancellationToken = default)
    {
        RequireValue(name, "name");
        RequireValue(source, "source");
        var request = new CreateModelVersionRequest(name, source, runId, description);
        return ToModelVersion((await PostAsync("model-versions/create", request, Json.CreateModelVersionRequest, Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false)).ModelVersion);
    }

    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        ToModelVersion((await GetAsync("model-versions/get" + Query(("name", name), ("version", version)), Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false)).ModelVersion);

    /// <summary><c>model-versions/search</c>. MLflow 2.9.2's SQL backend leaves the aliases out of these answers (they are
    /// in <see cref="GetRegisteredModelAsync"/>'s).</summary>
    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        var filter = "name='" + name.Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var answer = await GetAsync("model-versions/search" + Query(("filter", filter), ("max_results", "10000")), Json.SearchModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return (answer.ModelVersions ?? []).Select(ToModelVersion).OrderBy(v => int.Parse(v.Version, CultureInfo.InvariantCulture)).ToList();
    }

    public async Task SetAliasAsync(string name, string aliasName, string version, CancellationToken cancellationToken = default) =>
        await PostAsync("registered-models/alias", new SetAliasRequest(name, aliasName, version), Json.SetAliasRequest, Json.EmptyResponse, cancellationToken).ConfigureAwait(false);

    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default)
    {
        try
        {
            return ToModelVersion((await GetAsync("registered-models/alias" + Query(("name", name), ("alias", aliasName)), Json.ModelVersionResponse, cancellationToken).ConfigureAwait(false)).ModelVersion);
        }
        catch (InvalidParameterValueException e) when (e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            // MLflow 2.9.2 answers an unknown alias with 400 INVALID_PARAMETER_VALUE; it is a missing resource
            throw new ResourceDoesNotExistException(e.Message, e.StatusCode);
        }
    }

    // ---------------------------------------------------------------- transport

    private static MlflowJsonContext Json => MlflowJsonContext.Default;

    private async Task<TAnswer> GetAsync<TAnswer>(string endpoint, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + Api + endpoint);
        return await ReadAsync(request, Api + endpoint, answer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TAnswer> PostAsync<TRequest, TAnswer>(string endpoint, TRequest body, JsonTypeInfo<TRequest> request, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, baseUrl + Api + endpoint) { Content = JsonContent.Create(body, request, JsonType) };
        return await ReadAsync(message, Api + endpoint, answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request to <paramref name="pathAndQuery"/> (below the base URL) and returns the answer's text or
    /// throws the mapped error: for the recorded exchanges TagOlym does not use in its work (malformed requests, other endpoints).</summary>
    internal async Task<string> SendRawAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, baseUrl + pathAndQuery) { Content = content };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? text : throw Error(response.StatusCode, text, pathAndQuery);
    }

    private async Task<TAnswer> ReadAsync<TAnswer>(HttpRequestMessage request, string what, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response.StatusCode, text, what);
        }

        try
        {
            return JsonSerializer.Deserialize(string.IsNullOrWhiteSpace(text) ? "{}" : text, answer)
                ?? throw new MlflowException($"{what}: the server answered JSON null");
        }
        catch (JsonException e)
        {
            throw new MlflowException($"{what}: the server answered {(int)response.StatusCode} with a body that is not the expected JSON", e);
        }
    }

    private static MlflowException Error(HttpStatusCode status, string body, string what)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, Json.ErrorMessage) is { ErrorCode: { } code } error)
            {
                return MlflowException.For(code, error.Message ?? code, status);
            }
        }
        catch (JsonException)
        {
            // an HTML page (unknown endpoint, wrong method, proxy errors): reported by status below
        }

        var hint = status switch
        {
            HttpStatusCode.NotFound => " (no such endpoint: is this an MLflow server, and the URI its root?)",
            HttpStatusCode.MethodNotAllowed => " (the endpoint does not take this method)",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD)",
            HttpStatusCode.ServiceUnavailable when body.Contains("--no-serve-artifacts", StringComparison.Ordinal) => " (the server runs with --no-serve-artifacts)",
            _ => "",
        };
        return new MlflowException($"{what}: HTTP {(int)status} {status}{hint}", null, status);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        request.Headers.Authorization = credentials.Header();
        return http.SendAsync(request, completion, cancellationToken);
    }

    /// <summary>The standard transient failures (connection errors, timeouts, 408, 429, 5xx) except 501 and a server
    /// that does not proxy artifacts (<c>--no-serve-artifacts</c> answers 503 with an HTML page: a setting, not a
    /// passing failure).</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome)
        && outcome.Result is not { StatusCode: HttpStatusCode.NotImplemented }
        && !(outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable } response
            && response.RequestMessage?.RequestUri?.AbsolutePath.Contains("/mlflow-artifacts/", StringComparison.Ordinal) == true
            && response.Content.Headers.ContentType?.MediaType == "text/html");

    // ---------------------------------------------------------------- messages

    private static string Query(params (string Key, string Value)[] pairs) =>
        "?" + string.Join('&', pairs.Select(p => p.Key + "=" + EscapePath(p.Value)));

    /// <summary>Escapes each '/'-separated segment, keeping the slashes (as MLflow's own client sends artifact paths).</summary>
    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static List<KeyValue>? KeyValues(IReadOnlyDictionary<string, string>? pairs) =>
        pairs is { Count: > 0 } ? pairs.Select(p => new KeyValue(p.Key, p.Value)).ToList() : null;

    private static List<T>? Slice<T>(List<T> items, int start, int count) => start < items.Count ? items.Skip(start).Take(count).ToList() : null;

    private static Dictionary<string, string> Pairs(List<KeyValue>? pairs) =>
        (pairs ?? []).DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Experiment ToExperiment(ExperimentMessage? e) => e is null ? throw Malformed("experiment", "experiment") : new(
        e.ExperimentId ?? "", e.Name ?? "", e.ArtifactLocation ?? "", e.LifecycleStage ?? "active", e.CreationTime, e.LastUpdateTime, Pairs(e.Tags));

    private static RunInfo ToRunInfo(RunInfoMessage? i) => i is null ? throw Malformed("run", "info") : new(
        i.RunId ?? i.RunUuid ?? "",
        i.ExperimentId ?? "",
        i.RunName ?? "",
        i.UserId ?? "",
        Enum.TryParse<RunStatus>(i.Status, ignoreCase: true, out var status) ? status : RunStatus.Running,
        i.StartTime,
        i.EndTime,
        i.ArtifactUri ?? "",
        i.LifecycleStage ?? "active");

    private static Run ToRun(RunMessage? r) => r is null ? throw Malformed("run", "run") : new(
        ToRunInfo(r.Info),
        (r.Data?.Metrics ?? []).Select(m => new Metric(m.Key, m.Value, m.Timestamp, m.Step)).ToList(),
        Pairs(r.Data?.Params),
        Pairs(r.Data?.Tags));

    private static List<ArtifactEntry> ToEntries(ListArtifactsResponse answer) =>
        (answer.Files ?? []).Select(f => new ArtifactEntry(f.Path ?? "", f.IsDir, f.FileSize)).ToList();

    private static ModelVersion ToModelVersion(ModelVersionMessage? v) => v is null ? throw Malformed("model version", "model_version") : new(
        v.Name ?? "", v.Version ?? "", v.CreationTimestamp, v.LastUpdatedTimestamp, v.CurrentStage ?? "None", v.Description,
        v.Source ?? "", v.RunId, v.Status ?? "READY", v.Aliases ?? []);

    private static RegisteredModel ToRegisteredModel(RegisteredModelMessage? m) => m is null ? throw Malformed("registered model", "registered_model") : new(
        m.Name ?? "", m.CreationTimestamp, m.LastUpdatedTimestamp, m.Description,
        (m.LatestVersions ?? []).Select(ToModelVersion).ToList(),
        Pairs(m.Tags),
        (m.Aliases ?? []).ToDictionary(a => a.Alias, a => a.Version, StringComparer.Ordinal));

    private static MlflowException Malformed(string what, string field) => new($"the server's answer to {what} lacks '{field}'");

    private static void RequireValue(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidParameterValueException($"Missing value for required parameter '{field}'.");
        }
    }
}
