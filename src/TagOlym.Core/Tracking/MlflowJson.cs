using System.Text.Json.Serialization;

namespace TagOlym.Core.Tracking;

// MLflow's REST messages (API 2.0) as System.Text.Json source-generated types, named as MLflow's protobuf messages.
// MLflow 2.9.2 leaves empty lists out of its answers, so every list may be null.

internal sealed record KeyValue(string Key, string Value);

internal sealed record ExperimentMessage(string? ExperimentId, string? Name, string? ArtifactLocation, string? LifecycleStage, long? CreationTime, long? LastUpdateTime, List<KeyValue>? Tags);

internal sealed record RunInfoMessage(string? RunId, string? RunUuid, string? ExperimentId, string? RunName, string? UserId, string? Status, long? StartTime, long? EndTime, string? ArtifactUri, string? LifecycleStage);

internal sealed record MetricMessage(string Key, double Value, long Timestamp, long Step);

internal sealed record RunDataMessage(List<MetricMessage>? Metrics, List<KeyValue>? Params, List<KeyValue>? Tags);

internal sealed record RunMessage(RunInfoMessage? Info, RunDataMessage? Data);

internal sealed record FileInfoMessage(string? Path, bool IsDir, long? FileSize);

internal sealed record ModelVersionMessage(string? Name, string? Version, long? CreationTimestamp, long? LastUpdatedTimestamp, string? CurrentStage, string? Description, string? Source, string? RunId, string? Status, List<string>? Aliases);

internal sealed record AliasMessage(string Alias, string Version);

internal sealed record RegisteredModelMessage(string? Name, long? CreationTimestamp, long? LastUpdatedTimestamp, string? Description, List<ModelVersionMessage>? LatestVersions, List<KeyValue>? Tags, List<AliasMessage>? Aliases);

internal sealed record DatasetMessage(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

internal sealed record DatasetInputMessage(List<KeyValue> Tags, DatasetMessage Dataset);

internal sealed record ErrorMessage(string? ErrorCode, string? Message);

internal sealed record CreateExperimentRequest(string Name, List<KeyValue>? Tags);

internal sealed record CreateExperimentResponse(string? ExperimentId);

internal sealed record GetExperimentResponse(ExperimentMessage? Experiment);

internal sealed record CreateRunRequest(string ExperimentId, string? UserId, string? RunName, long StartTime, List<KeyValue>? Tags);

internal sealed record RunResponse(RunMessage? Run);

internal sealed record LogBatchRequest(string RunId, List<MetricMessage>? Metrics, List<KeyValue>? Params, List<KeyValue>? Tags);

internal sealed record LogInputsRequest(string RunId, List<DatasetInputMessage> Datasets);

internal sealed record LogModelRequest(string RunId, string ModelJson);

internal sealed record SearchRunsRequest(List<string> ExperimentIds, string RunViewType, int MaxResults, List<string> OrderBy, string? PageToken);

internal sealed record SearchRunsResponse(List<RunMessage>? Runs, string? NextPageToken);

internal sealed record UpdateRunRequest(string RunId, string Status, long EndTime);

internal sealed record UpdateRunResponse(RunInfoMessage? RunInfo);

internal sealed record ListArtifactsResponse(string? RootUri, List<FileInfoMessage>? Files);

internal sealed record CreateRegisteredModelRequest(string Name, string? Description, List<KeyValue>? Tags);

internal sealed record RegisteredModelResponse(RegisteredModelMessage? RegisteredModel);

internal sealed record SearchRegisteredModelsResponse(List<RegisteredModelMessage>? RegisteredModels, string? NextPageToken);

internal sealed record CreateModelVersionRequest(string Name, string Source, string? RunId, string? Description);

internal sealed record ModelVersionResponse(ModelVersionMessage? ModelVersion);

internal sealed record SearchModelVersionsResponse(List<ModelVersionMessage>? ModelVersions, string? NextPageToken);

internal sealed record SetAliasRequest(string Name, string Alias, string Version);

internal sealed record EmptyResponse;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(LogInputsRequest))]
[JsonSerializable(typeof(LogModelRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(SearchRegisteredModelsResponse))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(SearchModelVersionsResponse))]
[JsonSerializable(typeof(SetAliasRequest))]
[JsonSerializable(typeof(EmptyResponse))]
internal sealed partial class MlflowJsonContext : JsonSerializerContext;
