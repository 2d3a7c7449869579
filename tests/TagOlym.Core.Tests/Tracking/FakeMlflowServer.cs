using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>
/// A stand-in MLflow server for end-to-end tests of the REST store: it answers the endpoints TagOlym uses in the
/// shapes the recorded exchanges show (string ids, <c>mlflow-artifacts:</c> artifact URIs, <c>{}</c> for empty,
/// 404 RESOURCE_DOES_NOT_EXIST, 400 for an unknown alias), keeping its state in a file store and proxied artifacts in
/// a folder. The wire format itself is pinned by <see cref="MlflowRestContractTests"/>, not by this fake.
/// </summary>
public sealed class FakeMlflowServer : HttpMessageHandler
{
    private readonly FileTrackingStore backend;
    private readonly string artifacts;

    public FakeMlflowServer(string directory)
    {
        backend = new FileTrackingStore(Path.Combine(directory, "backend"));
        artifacts = Path.Combine(directory, "artifacts");
    }

    public int Requests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var path = request.RequestUri!.AbsolutePath;
        var query = HttpUtility.ParseQueryString(request.RequestUri.Query);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var json = body is { Length: > 0 } && request.Content!.Headers.ContentType?.MediaType == "application/json" && path.StartsWith("/api/2.0/mlflow/", StringComparison.Ordinal)
            ? JsonNode.Parse(body)!.AsObject() : [];
        try
        {
            return path.StartsWith("/api/2.0/mlflow-artifacts/artifacts", StringComparison.Ordinal)
                ? Artifacts(request, Uri.UnescapeDataString(path["/api/2.0/mlflow-artifacts/artifacts".Length..].TrimStart('/')), query["path"], body)
                : Ok(await Api(request.Method.Method + " " + path["/api/2.0/mlflow/".Length..], query, json));
        }
        catch (MlflowException e)
        {
            var status = e is ResourceDoesNotExistException && !e.Message.Contains("alias", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
            var code = e is ResourceDoesNotExistException && status == HttpStatusCode.BadRequest ? InvalidParameterValueException.Code : e.ErrorCode;
            return new HttpResponseMessage(status)
            {
                Content = new StringContent(new JsonObject { ["error_code"] = code, ["message"] = e.Message }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }
    }

    private async Task<JsonObject> Api(string endpoint, System.Collections.Specialized.NameValueCollection query, JsonObject body)
    {
        switch (endpoint)
        {
            case "GET experiments/get-by-name":
                var experiment = await backend.GetExperimentByNameAsync(query["experiment_name"]!);
                return new JsonObject
                {
                    ["experiment"] = new JsonObject
                    {
                        ["experiment_id"] = experiment.ExperimentId, ["name"] = experiment.Name,
                        ["artifact_location"] = "mlflow-artifacts:/" + experiment.ExperimentId, ["lifecycle_stage"] = "active",
                    },
                };
            case "POST experiments/create":
                return new JsonObject { ["experiment_id"] = await backend.CreateExperimentAsync(body["name"]!.GetValue<string>()) };
            case "POST runs/create":
                var created = await backend.CreateRunAsync(body["experiment_id"]!.GetValue<string>(), body["run_name"]?.GetValue<string>(),
                    body["start_time"]!.GetValue<long>(), Pairs(body["tags"]));
                return new JsonObject { ["run"] = RunJson(await backend.GetRunAsync(created.RunId)) };
            case "POST runs/log-batch":
                await backend.LogBatchAsync(body["run_id"]!.GetValue<string>(),
                    body["metrics"]?.AsArray().Select(m => new Metric(m!["key"]!.GetValue<string>(), m["value"]!.GetValue<double>(), m["timestamp"]!.GetValue<long>(), m["step"]!.GetValue<long>())).ToList(),
                    Pairs(body["params"]), Pairs(body["tags"]));
                return [];
            case "POST runs/update":
                var info = await backend.UpdateRunAsync(body["run_id"]!.GetValue<string>(), Enum.Parse<RunStatus>(body["status"]!.GetValue<string>(), ignoreCase: true), body["end_time"]!.GetValue<long>());
                return new JsonObject { ["run_info"] = InfoJson(info) };
            case "GET runs/get":
                return new JsonObject { ["run"] = RunJson(await backend.GetRunAsync(query["run_id"]!)) };
            case "GET artifacts/list":
                var run = await backend.GetRunAsync(query["run_id"]!);
                var root = $"{run.Info.ExperimentId}/{run.Info.RunId}/artifacts";
                var listed = List(root + (query["path"] is { } sub ? "/" + sub : ""), query["path"]);
                var answer = new JsonObject { ["root_uri"] = "mlflow-artifacts:/" + root };
                if (listed.Count > 0)
                {
                    answer["files"] = listed;
                }

                return answer;
            case "POST registered-models/create":
                await backend.CreateRegisteredModelAsync(body["name"]!.GetValue<string>(), body["description"]?.GetValue<string>());
                return new JsonObject { ["registered_model"] = new JsonObject { ["name"] = body["name"]!.GetValue<string>() } };
            case "POST model-versions/create":
                return new JsonObject
                {
                    ["model_version"] = VersionJson(await backend.CreateModelVersionAsync(body["name"]!.GetValue<string>(), body["source"]!.GetValue<string>(), body["run_id"]?.GetValue<string>())),
                };
            case "GET model-versions/get":
                return new JsonObject { ["model_version"] = VersionJson(await backend.GetModelVersionAsync(query["name"]!, query["version"]!)) };
            case "GET registered-models/search":
                var models = await backend.SearchRegisteredModelsAsync();
                return models.Count == 0 ? [] : new JsonObject
                {
                    ["registered_models"] = new JsonArray(models.Select(m => (JsonNode)new JsonObject
                    {
                        ["name"] = m.Name,
                        ["aliases"] = new JsonArray(m.Aliases.Select(a => (JsonNode)new JsonObject { ["alias"] = a.Key, ["version"] = a.Value }).ToArray()),
                    }).ToArray()),
                };
            case "GET model-versions/search":
                var name = query["filter"]!.Split('\'')[1];
                var versions = await backend.SearchModelVersionsAsync(name);
                return versions.Count == 0 ? [] : new JsonObject { ["model_versions"] = new JsonArray(versions.Select(v => (JsonNode)VersionJson(v)).ToArray()) };
            case "POST registered-models/alias":
                await backend.SetAliasAsync(body["name"]!.GetValue<string>(), body["alias"]!.GetValue<string>(), body["version"]!.GetValue<string>());
                return [];
            case "GET registered-models/alias":
                return new JsonObject { ["model_version"] = VersionJson(await backend.GetModelVersionByAliasAsync(query["name"]!, query["alias"]!)) };
            default:
                throw new InvalidOperationException($"the fake server does not answer {endpoint}");
        }
    }

    private HttpResponseMessage Artifacts(HttpRequestMessage request, string path, string? listPath, byte[]? body)
    {
        if (request.Method == HttpMethod.Put)
        {
            var target = Path.Combine(artifacts, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, body ?? []);
            return Ok([]);
        }

        if (listPath is not null)
        {
            var files = List(listPath, null);
            return Ok(files.Count == 0 ? [] : new JsonObject { ["files"] = files });
        }

        var file = Path.Combine(artifacts, path);
        return File.Exists(file)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(File.ReadAllBytes(file)) }
            : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<!doctype html><title>404 Not Found</title>", Encoding.UTF8, "text/html") };
    }

    private JsonArray List(string directory, string? prefix)
    {
        var full = Path.Combine(artifacts, directory);
        if (!Directory.Exists(full))
        {
            return [];
        }

        return new JsonArray(new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).Select(e =>
        {
            var entry = new JsonObject { ["path"] = prefix is null ? e.Name : prefix + "/" + e.Name, ["is_dir"] = e is DirectoryInfo };
            if (e is FileInfo f)
            {
                entry["file_size"] = f.Length;
            }

            return (JsonNode)entry;
        }).ToArray());
    }

    private static Dictionary<string, string>? Pairs(JsonNode? array) =>
        array?.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());

    private static JsonObject InfoJson(RunInfo info) => new()
    {
        ["run_uuid"] = info.RunId, ["experiment_id"] = info.ExperimentId, ["run_name"] = info.RunName, ["user_id"] = "",
        ["status"] = info.Status.ToString().ToUpperInvariant(), ["start_time"] = info.StartTime, ["end_time"] = info.EndTime,
        ["artifact_uri"] = $"mlflow-artifacts:/{info.ExperimentId}/{info.RunId}/artifacts", ["lifecycle_stage"] = "active", ["run_id"] = info.RunId,
    };

    private static JsonObject RunJson(Run run) => new()
    {
        ["info"] = InfoJson(run.Info),
        ["data"] = new JsonObject
        {
            ["params"] = new JsonArray(run.Params.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
            ["tags"] = new JsonArray(run.Tags.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
        },
    };

    private static JsonObject VersionJson(ModelVersion version)
    {
        var json = new JsonObject
        {
            ["name"] = version.Name, ["version"] = version.Version, ["current_stage"] = version.CurrentStage,
            ["source"] = version.Source, ["run_id"] = version.RunId, ["status"] = version.Status, ["run_link"] = "",
        };
        if (version.Aliases.Count > 0)
        {
            json["aliases"] = new JsonArray(version.Aliases.Select(a => (JsonNode)JsonValue.Create(a)).ToArray());
        }

        return json;
    }

    private static HttpResponseMessage Ok(JsonObject json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json") };
}
