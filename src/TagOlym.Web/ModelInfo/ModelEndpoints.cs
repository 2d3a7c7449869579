using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TagOlym.Core.Evaluation;
using TagOlym.Web.Serving;

namespace TagOlym.Web.ModelInfo;

/// <summary>A label and its decision threshold.</summary>
public sealed record LabelThreshold(string Label, double Threshold);

/// <summary>What <c>GET /model</c> tells about the model serving.</summary>
public sealed record ModelInfoResponse(
    string Name,
    string Version,
    string? RunId,
    string Source,
    DateTimeOffset LoadedUtc,
    DateTimeOffset TrainedUtc,
    string Loss,
    IReadOnlyList<string> Members,
    string Combiner,
    int TrainingRows,
    int FeatureCount,
    IReadOnlyList<LabelThreshold> Labels,
    EvaluationReport? TestMetrics,
    IReadOnlyDictionary<string, JsonElement>? TrainingArgs);

/// <summary>A served model in <c>GET /models</c>: the name it is reached by, whether <c>/predict</c> uses it, and what serves now (null while none).</summary>
public sealed record ServedModelSummary(string Key, bool IsDefault, string Source, ModelIdentity? Serving);

/// <summary><c>GET /model</c> (the default model), <c>GET /models/{name}</c> and <c>GET /models</c>: the models serving,
/// their labels and thresholds, when they were trained, their test metrics.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/model", (ModelCatalog catalog) => GetModel(catalog.Default))
            .WithName("GetModel")
            .WithTags("Model")
            .WithSummary("The default model serving now")
            .Produces<ModelInfoResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/models/{name}", Results<Ok<ModelInfoResponse>, ProblemHttpResult> (string name, ModelCatalog catalog) =>
                catalog.Find(name) is { } slot ? GetModel(slot) : Predict.PredictEndpoints.UnknownModel(name, catalog))
            .WithName("GetNamedModel")
            .WithTags("Model")
            .WithSummary("A named model serving now")
            .Produces<ModelInfoResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/models", (ModelCatalog catalog) => TypedResults.Ok(catalog.All
                .Select(s => new ServedModelSummary(s.Key, s == catalog.Default, s.Source.Location, s.Current.Serving?.Identity)).ToArray()))
            .WithName("ListModels")
            .WithTags("Model")
            .WithSummary("The models this service serves");
        return app;
    }

    internal static Results<Ok<ModelInfoResponse>, ProblemHttpResult> GetModel(ModelSlot slot)
    {
        if (slot.Current.Serving is not { } serving)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No model loaded",
                detail: $"the model '{slot.Key}' is not serving yet; see GET /health/ready");
        }

        var manifest = serving.Model.Manifest;
        var labels = manifest.Labels.Select((label, i) => new LabelThreshold(label, manifest.Thresholds[i])).ToArray();
        return TypedResults.Ok(new ModelInfoResponse(
            serving.Identity.Name,
            serving.Identity.Version,
            serving.Identity.RunId,
            serving.Source,
            serving.LoadedUtc,
            manifest.CreatedUtc,
            (string?)manifest.TrainingArgs["loss"] ?? "",
            manifest.Members,
            manifest.Combiner,
            manifest.TrainingRows,
            manifest.FeatureCount,
            labels,
            manifest.Metrics?["test"] is { } test ? EvaluationReport.FromJson(test.ToJsonString()) : null,
            manifest.TrainingArgs?.Deserialize<Dictionary<string, JsonElement>>()));
    }
}
