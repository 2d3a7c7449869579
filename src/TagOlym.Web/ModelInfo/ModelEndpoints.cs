using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
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
    int TrainingRows,
    int FeatureCount,
    IReadOnlyList<LabelThreshold> Labels,
    JsonNode? TestMetrics,
    JsonNode? TrainingArgs);

/// <summary><c>GET /model</c>: the model serving, its labels and thresholds, when it was trained, its test metrics.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/model", GetModel)
            .WithName("GetModel")
            .WithTags("Model")
            .WithSummary("The model serving now")
            .Produces<ModelInfoResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static Results<Ok<ModelInfoResponse>, ProblemHttpResult> GetModel(CurrentModel current)
    {
        if (current.Serving is not { } serving)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No model loaded",
                detail: "the service has no model serving yet; see GET /health/ready");
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
            manifest.TrainingRows,
            manifest.FeatureCount,
            labels,
            manifest.Metrics?["test"]?.DeepClone(),
            manifest.TrainingArgs?.DeepClone()));
    }
}
