using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Tracking;

/// <summary>
/// An MLflow tracking server through its REST API (2.0), as MLflow 2.9.2 answers it: experiment ids are strings,
/// empty results are <c>{}</c> (no empty arrays), errors are <c>{"error_code", "message"}</c> mapped to
/// <see cref="MlflowException"/> subclasses. Artifacts go through the server's <c>mlflow-artifacts</c> proxy
/// (<c>mlflow server --serve-artifacts</c>, the default since MLflow 2.0). Transient failures are retried as
/// <see cref="MlflowRetryPolicy"/> says; credentials are sent on every request.
/// </summary>
public sealed class MlflowRestStore : ITrackingStore
{
    private const string Api = "/api/2.0/mlflow/";
    private const string ArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient http;
    private readonly string baseUrl;
    private readonly MlflowCredentials credentials;
    private readonly MlflowRetryPolicy retry;
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
        http = handler is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(10) } : new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromMinutes(10) };
        this.credentials = credentials ?? MlflowCredentials.None;
        this.retry = retry ?? MlflowRetryPolicy.Default;
    }

    public string Location => baseUrl;

    /// <summary>Releases the HTTP client (a handler passed in stays the caller's).</summary>
    public void Dispose() => http.Dispose();

    // ---------------------------------------------------------------- server

    /// <summary><c>GET /health</c>: true when the server answers OK.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, baseUrl + "/health"), cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim() == "OK";
    }

    /// <summary><c>GET /version</c>: the server's MLflow version.</summary>
    public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, baseUrl + "/version"), cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? text.Trim() : throw Error(response.StatusCode, text, "/version");
    }

    // ---------------------------------------------------------------- experiments

    public async Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        RequireValue(name, "name");
        var body = new JsonObject { ["name"] = name };
        if (tags is { Count: > 0 })
        {
            body["tags"] = KeyValues(tags);
        }

        var answer = await CallAsync(HttpMethod.Post, "experiments/create", body, cancellationToken).ConfigureAwait(false);
        return Text(answer["experiment_id"]) ?? throw Malformed("experiments/create", "experiment_id");
    }

    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        ParseExperiment((await CallAsync(HttpMethod.Get, "experiments/get" + Query(("experiment_id", experimentId)), null, cancellationToken).ConfigureAwait(false))["experiment"]);

    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        ParseExperiment((await CallAsync(HttpMethod.Get, "experiments/get-by-name" + Query(("experiment_name", name)), null, cancellationToken).ConfigureAwait(false))["experiment"]);

    // ---------------------------------------------------------------- runs

    public async Task<RunInfo> CreateRunAsync(string experimentId, string? runName, long startTime, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        RequireValue(experimentId, "experiment_id");
        var body = new JsonObject { ["experiment_id"] = experimentId };
        if (!string.IsNullOrEmpty(runName))
        {
            body["run_name"] = runName;
        }

        body["start_time"] = startTime;
        if (tags is { Count: > 0 })
        {
            body["tags"] = KeyValues(tags);
        }

        var answer = await CallAsync(HttpMethod.Post, "runs/create", body, cancellationToken).ConfigureAwait(false);
        var run = ParseRun(answer["run"]);
        artifactRoots[run.Info.RunId] = run.Info.ArtifactUri;
        return run.Info;
    }

    /// <summary><c>runs/log-parameter</c>: one param (the batch call does the same for many).</summary>
    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, "runs/log-parameter", new JsonObject { ["run_id"] = runId, ["key"] = key, ["value"] = value }, cancellationToken);

    /// <summary><c>runs/log-metric</c>: one metric value.</summary>
    public Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var body = MetricJson(metric);
        body.Insert(0, "run_id", runId);
        return CallAsync(HttpMethod.Post, "runs/log-metric", body, cancellationToken);
    }

    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        // the server takes at most 1000 metrics, 100 params and 100 tags per call
        var metricList = metrics ?? [];
        var paramList = (parameters ?? new Dictionary<string, string>()).ToList();
        var tagList = (tags ?? new Dictionary<string, string>()).ToList();
        for (int m = 0, p = 0, t = 0; m < metricList.Count || p < paramList.Count || t < tagList.Count || (m == 0 && p == 0 && t == 0);)
        {
            var body = new JsonObject { ["run_id"] = runId };
            if (m < metricList.Count)
            {
                body["metrics"] = new JsonArray(metricList.Skip(m).Take(1000).Select(x => (JsonNode)MetricJson(x)).ToArray());
            }

            if (p < paramList.Count)
            {
                body["params"] = KeyValues(paramList.Skip(p).Take(100));
            }

            if (t < tagList.Count)
            {
                body["tags"] = KeyValues(tagList.Skip(t).Take(100));
            }

            await CallAsync(HttpMethod.Post, "runs/log-batch", body, cancellationToken).ConfigureAwait(false);
            m += 1000;
            p += 100;
            t += 100;
        }
    }

    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, "runs/set-tag", new JsonObject { ["run_id"] = runId, ["key"] = key, ["value"] = value }, cancellationToken);

    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long endTime, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["run_id"] = runId, ["status"] = StatusName(status), ["end_time"] = endTime };
        return ParseRunInfo((await CallAsync(HttpMethod.Post, "runs/update", body, cancellationToken).ConfigureAwait(false))["run_info"]);
    }

    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = ParseRun((await CallAsync(HttpMethod.Get, "runs/get" + Query(("run_id", runId)), null, cancellationToken).ConfigureAwait(false))["run"]);
        artifactRoots[run.Info.RunId] = run.Info.ArtifactUri;
        return run;
    }

    public async Task<IReadOnlyList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter = null, int maxResults = 1000, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        var body = new JsonObject { ["experiment_ids"] = new JsonArray(experimentIds.Select(id => (JsonNode)JsonValue.Create(id)).ToArray()) };
        if (!string.IsNullOrWhiteSpace(filter))
        {
            body["filter"] = filter;
        }

        body["run_view_type"] = "ACTIVE_ONLY";
        body["max_results"] = maxResults;
        if (orderBy is { Count: > 0 })
        {
            body["order_by"] = new JsonArray(orderBy.Select(o => (JsonNode)JsonValue.Create(o)).ToArray());
        }

        var answer = await CallAsync(HttpMethod.Post, "runs/search", body, cancellationToken).ConfigureAwait(false);
        return Items(answer["runs"]).Select(ParseRun).ToList();
    }

    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        var answer = await CallAsync(HttpMethod.Get, "metrics/get-history" + Query(("run_id", runId), ("metric_key", key)), null, cancellationToken).ConfigureAwait(false);
        return Items(answer["metrics"]).Select(ParseMetric).ToList();
    }

    // ---------------------------------------------------------------- artifacts

    public async Task LogArtifactAsync(string runId, string localFile, string artifactPath, CancellationToken cancellationToken = default)
    {
        var root = await ArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        await UploadArtifactAsync(root, artifactPath, () => File.OpenRead(localFile), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PUT /api/2.0/mlflow-artifacts/artifacts/&lt;root&gt;/&lt;path&gt;</c>: uploads the content <paramref name="open"/> gives
    /// (called again on a retry) below a run's <c>mlflow-artifacts:</c> root.
    /// </summary>
    public async Task UploadArtifactAsync(string artifactRootUri, string artifactPath, Func<Stream> open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        var url = baseUrl + ArtifactsApi + "/" + EscapePath(ProxyPath(artifactRootUri) + "/" + artifactPath.Trim('/'));
        using var response = await SendAsync(() =>
        {
            var content = new StreamContent(open());
            content.Headers.ContentType = new MediaTypeHeaderValue(ContentTypeOf(artifactPath));
            return new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        }, cancellationToken).ConfigureAwait(false);
        await ReadJsonAsync(response, url, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/2.0/mlflow/artifacts/list</c>: works whether the server proxies artifacts or not.</summary>
    public async Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var query = string.IsNullOrEmpty(path) ? Query(("run_id", runId)) : Query(("run_id", runId), ("path", path));
        var answer = await CallAsync(HttpMethod.Get, "artifacts/list" + query, null, cancellationToken).ConfigureAwait(false);
        return Items(answer["files"]).Select(ParseArtifactEntry).ToList();
    }

    /// <summary><c>GET /api/2.0/mlflow-artifacts/artifacts?path=</c>: the entries below an <c>mlflow-artifacts:</c> URI, paths relative to it.</summary>
    public async Task<IReadOnlyList<ArtifactEntry>> ListProxiedArtifactsAsync(string artifactUri, CancellationToken cancellationToken = default)
    {
        var url = baseUrl + ArtifactsApi + "?path=" + EscapePath(ProxyPath(artifactUri));
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken).ConfigureAwait(false);
        return Items((await ReadJsonAsync(response, url, cancellationToken).ConfigureAwait(false))["files"]).Select(ParseArtifactEntry).ToList();
    }

    /// <summary><c>GET /api/2.0/mlflow-artifacts/artifacts/&lt;path&gt;</c>: one proxied artifact file into <paramref name="localFile"/> (atomically).</summary>
    public async Task DownloadProxiedArtifactAsync(string artifactUri, string localFile, CancellationToken cancellationToken = default)
    {
        var url = baseUrl + ArtifactsApi + "/" + EscapePath(ProxyPath(artifactUri));
        await DownloadAsync(url, localFile, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /get-artifact?run_id=&amp;path=</c>: one run artifact file, also from a server that does not proxy artifacts.</summary>
    public async Task DownloadRunArtifactAsync(string runId, string path, string localFile, CancellationToken cancellationToken = default) =>
        await DownloadAsync(baseUrl + "/get-artifact" + Query(("run_id", runId), ("path", path)), localFile, cancellationToken).ConfigureAwait(false);

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

    private async Task DownloadAsync(string url, string localFile, CancellationToken cancellationToken)
    {
        // streamed to a temporary file and renamed: a model of 100 MB is never held in memory, nor seen half-written
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), url);
        }

        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        AtomicFile.Write(localFile, file => body.CopyTo(file));
    }

    private async Task<string> ArtifactRootAsync(string runId, CancellationToken cancellationToken) =>
        artifactRoots.TryGetValue(runId, out var root) ? root : (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false)).Info.ArtifactUri;

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
        var body = new JsonObject { ["name"] = name };
        if (description is not null)
        {
            body["description"] = description;
        }

        if (tags is { Count: > 0 })
        {
            body["tags"] = KeyValues(tags);
        }

        return ParseRegisteredModel((await CallAsync(HttpMethod.Post, "registered-models/create", body, cancellationToken).ConfigureAwait(false))["registered_model"]);
    }

    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        ParseRegisteredModel((await CallAsync(HttpMethod.Get, "registered-models/get" + Query(("name", name)), null, cancellationToken).ConfigureAwait(false))["registered_model"]);

    public async Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await CallAsync(HttpMethod.Get, "registered-models/search" + Query(("max_results", "1000")), null, cancellationToken).ConfigureAwait(false);
        return Items(answer["registered_models"]).Select(ParseRegisteredModel).ToList();
    }

    public async Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId, string? description = null, CancellationToken cancellationToken = default)
    {
        RequireValue(name, "name");
        RequireValue(source, "source");
        var body = new JsonObject { ["name"] = name, ["source"] = source };
        if (runId is not null)
        {
            body["run_id"] = runId;
        }

        if (description is not null)
        {
            body["description"] = description;
        }

        return ParseModelVersion((await CallAsync(HttpMethod.Post, "model-versions/create", body, cancellationToken).ConfigureAwait(false))["model_version"]);
    }

    public async Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        ParseModelVersion((await CallAsync(HttpMethod.Get, "model-versions/get" + Query(("name", name), ("version", version)), null, cancellationToken).ConfigureAwait(false))["model_version"]);

    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        var filter = "name='" + name.Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var answer = await CallAsync(HttpMethod.Get, "model-versions/search" + Query(("filter", filter), ("max_results", "10000")), null, cancellationToken).ConfigureAwait(false);
        return Items(answer["model_versions"]).Select(ParseModelVersion).OrderBy(v => int.Parse(v.Version, CultureInfo.InvariantCulture)).ToList();
    }

    public Task SetAliasAsync(string name, string aliasName, string version, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, "registered-models/alias", new JsonObject { ["name"] = name, ["alias"] = aliasName, ["version"] = version }, cancellationToken);

    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string aliasName, CancellationToken cancellationToken = default)
    {
        try
        {
            return ParseModelVersion((await CallAsync(HttpMethod.Get, "registered-models/alias" + Query(("name", name), ("alias", aliasName)), null, cancellationToken).ConfigureAwait(false))["model_version"]);
        }
        catch (InvalidParameterValueException e) when (e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            // MLflow 2.9.2 answers an unknown alias with 400 INVALID_PARAMETER_VALUE; it is a missing resource
            throw new ResourceDoesNotExistException(e.Message, e.StatusCode);
        }
    }

    /// <summary><c>model-versions/transition-stage</c> (stages are deprecated in MLflow; TagOlym uses the alias).</summary>
    public async Task<ModelVersion> TransitionModelVersionStageAsync(string name, string version, string stage, bool archiveExistingVersions = false, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name, ["version"] = version, ["stage"] = stage, ["archive_existing_versions"] = archiveExistingVersions };
        return ParseModelVersion((await CallAsync(HttpMethod.Post, "model-versions/transition-stage", body, cancellationToken).ConfigureAwait(false))["model_version"]);
    }

    /// <summary><c>registered-models/get-latest-versions</c>: POST with stages, GET without.</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string>? stages = null, CancellationToken cancellationToken = default)
    {
        var answer = stages is { Count: > 0 }
            ? await CallAsync(HttpMethod.Post, "registered-models/get-latest-versions",
                new JsonObject { ["name"] = name, ["stages"] = new JsonArray(stages.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()) }, cancellationToken).ConfigureAwait(false)
            : await CallAsync(HttpMethod.Get, "registered-models/get-latest-versions" + Query(("name", name)), null, cancellationToken).ConfigureAwait(false);
        return Items(answer["model_versions"]).Select(ParseModelVersion).ToList();
    }

    /// <summary><c>model-versions/get-download-uri</c>: where the version's files are.</summary>
    public async Task<string> GetModelVersionDownloadUriAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        var answer = await CallAsync(HttpMethod.Get, "model-versions/get-download-uri" + Query(("name", name), ("version", version)), null, cancellationToken).ConfigureAwait(false);
        return Text(answer["artifact_uri"]) ?? throw Malformed("model-versions/get-download-uri", "artifact_uri");
    }

    // ---------------------------------------------------------------- transport

    private Task<JsonObject> CallAsync(HttpMethod method, string endpoint, JsonObject? body, CancellationToken cancellationToken) =>
        SendRawAsync(method, Api + endpoint, body is null ? null : () => new StringContent(body.ToJsonString(), Encoding.UTF8, JsonType.MediaType), cancellationToken);

    /// <summary>Sends a request to <paramref name="pathAndQuery"/> (below the base URL) and reads the JSON answer or throws the mapped error.</summary>
    internal async Task<JsonObject> SendRawAsync(HttpMethod method, string pathAndQuery, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        var url = baseUrl + pathAndQuery;
        using var response = await SendAsync(() => new HttpRequestMessage(method, url) { Content = content?.Invoke() }, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, pathAndQuery, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response.StatusCode, text, what);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new MlflowException($"{what}: the server answered JSON that is not an object");
        }
        catch (JsonException e)
        {
            throw new MlflowException($"{what}: the server answered {(int)response.StatusCode} with a body that is not JSON", e);
        }
    }

    private static MlflowException Error(HttpStatusCode status, string body, string what)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject error && Text(error["error_code"]) is { } code)
            {
                return MlflowException.For(code, Text(error["message"]) ?? code, status);
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

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= retry.MaxAttempts;
            using var request = build();
            request.Headers.Authorization = credentials.Header();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (!last && IsTransient(e))
            {
                await Task.Delay(retry.DelayBefore(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (TaskCanceledException) when (!last && !cancellationToken.IsCancellationRequested)
            {
                // HttpClient's timeout
                await Task.Delay(retry.DelayBefore(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (last || !IsTransient(response))
            {
                return response;
            }

            var delay = retry.DelayBefore(attempt);
            if (response.Headers.RetryAfter?.Delta is { } after && after > delay)
            {
                delay = after < retry.MaxDelay ? after : retry.MaxDelay;
            }

            response.Dispose();
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        || ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented && !IsArtifactProxyDisabled(response));

    /// <summary>
    /// <c>mlflow server --no-serve-artifacts</c> answers the artifact proxy with 503 and an HTML page: a setting, not a
    /// passing failure, so it is not retried.
    /// </summary>
    private static bool IsArtifactProxyDisabled(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.ServiceUnavailable
        && response.RequestMessage?.RequestUri?.AbsolutePath.Contains("/mlflow-artifacts/", StringComparison.Ordinal) == true
        && response.Content.Headers.ContentType?.MediaType == "text/html";

    private static bool IsTransient(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.ProxyTunnelError
        || e.InnerException is SocketException or IOException;

    // ---------------------------------------------------------------- JSON

    private static string Query(params (string Key, string Value)[] pairs) =>
        "?" + string.Join('&', pairs.Select(p => p.Key + "=" + EscapePath(p.Value)));

    /// <summary>Escapes each '/'-separated segment, keeping the slashes (as MLflow's own client sends artifact paths).</summary>
    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static JsonArray KeyValues(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray());

    private static JsonObject MetricJson(Metric metric) => new()
    {
        ["key"] = metric.Key,
        ["value"] = double.IsFinite(metric.Value) ? JsonValue.Create(metric.Value) : JsonValue.Create(double.IsNaN(metric.Value) ? "NaN" : metric.Value > 0 ? "Infinity" : "-Infinity"),
        ["timestamp"] = metric.Timestamp,
        ["step"] = metric.Step,
    };

    private static string StatusName(RunStatus status) => status.ToString().ToUpperInvariant();

    private static IEnumerable<JsonNode> Items(JsonNode? array) => array is JsonArray items ? items.OfType<JsonNode>() : [];

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : null;

    private static long? Long(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<long>(out var l) ? l : long.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out l) ? l : null
        : null;

    private static double Double(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<double>(out var d) ? d : Text(value) switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s ?? "", NumberStyles.Float, CultureInfo.InvariantCulture),
        }
        : double.NaN;

    private static Dictionary<string, string> Pairs(JsonNode? array) =>
        Items(array).Select(p => KeyValuePair.Create(Text(p["key"]) ?? "", Text(p["value"]) ?? "")).DistinctBy(p => p.Key)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Experiment ParseExperiment(JsonNode? json) => json is null ? throw Malformed("experiment", "experiment") : new(
        Text(json["experiment_id"]) ?? "",
        Text(json["name"]) ?? "",
        Text(json["artifact_location"]) ?? "",
        Text(json["lifecycle_stage"]) ?? "active",
        Long(json["creation_time"]),
        Long(json["last_update_time"]),
        Pairs(json["tags"]));

    private static RunInfo ParseRunInfo(JsonNode? json) => json is null ? throw Malformed("run", "info") : new(
        Text(json["run_id"]) ?? Text(json["run_uuid"]) ?? "",
        Text(json["experiment_id"]) ?? "",
        Text(json["run_name"]) ?? "",
        Text(json["user_id"]) ?? "",
        Enum.TryParse<RunStatus>(Text(json["status"]), ignoreCase: true, out var status) ? status : RunStatus.Running,
        Long(json["start_time"]),
        Long(json["end_time"]),
        Text(json["artifact_uri"]) ?? "",
        Text(json["lifecycle_stage"]) ?? "active");

    private static Run ParseRun(JsonNode? json) => json is null ? throw Malformed("run", "run") : new(
        ParseRunInfo(json["info"]),
        Items(json["data"]?["metrics"]).Select(ParseMetric).ToList(),
        Pairs(json["data"]?["params"]),
        Pairs(json["data"]?["tags"]));

    private static Metric ParseMetric(JsonNode json) =>
        new(Text(json["key"]) ?? "", Double(json["value"]), Long(json["timestamp"]) ?? 0, Long(json["step"]) ?? 0);

    private static ArtifactEntry ParseArtifactEntry(JsonNode json) =>
        new(Text(json["path"]) ?? "", json["is_dir"] is JsonValue d && d.TryGetValue<bool>(out var isDir) && isDir, Long(json["file_size"]));

    private static ModelVersion ParseModelVersion(JsonNode? json) => json is null ? throw Malformed("model version", "model_version") : new(
        Text(json["name"]) ?? "",
        Text(json["version"]) ?? "",
        Long(json["creation_timestamp"]),
        Long(json["last_updated_timestamp"]),
        Text(json["current_stage"]) ?? "None",
        Text(json["description"]),
        Text(json["source"]) ?? "",
        Text(json["run_id"]),
        Text(json["status"]) ?? "READY",
        Items(json["aliases"]).Select(a => Text(a) ?? "").ToList());

    private static RegisteredModel ParseRegisteredModel(JsonNode? json) => json is null ? throw Malformed("registered model", "registered_model") : new(
        Text(json["name"]) ?? "",
        Long(json["creation_timestamp"]),
        Long(json["last_updated_timestamp"]),
        Text(json["description"]),
        Items(json["latest_versions"]).Select(ParseModelVersion).ToList(),
        Pairs(json["tags"]),
        Items(json["aliases"]).ToDictionary(a => Text(a["alias"]) ?? "", a => Text(a["version"]) ?? "", StringComparer.Ordinal));

    private static MlflowException Malformed(string what, string field) => new($"the server's answer to {what} lacks '{field}'");

    private static void RequireValue(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidParameterValueException($"Missing value for required parameter '{field}'.");
        }
    }
}
