using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Serilog;
using TagOlym.Core.Models;
using TagOlym.Web.Logging;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Predict;

/// <summary><c>POST /predict</c>: suggested tags for one or more posts.</summary>
public static class PredictEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapPredict(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", PredictAsync)
            .WithName("Predict")
            .WithTags("Predict")
            .WithSummary("Suggest tags for posts")
            .WithDescription(
                "Answers, in input order, each post's suggested tags (score above the label's threshold, highest first). " +
                "With `?scores=all`, also every label's score and threshold. Posts are Markdown with LaTeX (`$..$`, `\\[..\\]`, `\\begin..\\end`).")
            .Accepts<PredictRequest>("application/json")
            .Produces<PredictResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> PredictAsync(
        HttpContext context,
        CurrentModel current,
        IOptions<PredictOptions> options,
        [FromQuery(Name = "scores")] string? scores,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var allScores = scores switch
        {
            null or "" or "tags" => false,
            "all" => true,
            _ => (bool?)null,
        };
        if (allScores is null)
        {
            return Invalid("scores", $"scores must be 'all' or absent; got '{Truncate(scores!)}'");
        }

        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"the body must be JSON (Content-Type: application/json); got '{context.Request.ContentType ?? "none"}'");
        }

        var body = await ReadBodyAsync(context, limits.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"the body is over the limit of {limits.MaxBodyBytes:N0} bytes (Predict:MaxBodyBytes)",
                extensions: new Dictionary<string, object?> { ["limit"] = limits.MaxBodyBytes });
        }

        PredictRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<PredictRequest>(body.Value.Span, Json);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed JSON",
                detail: $"the body is not valid JSON of the form {{\"texts\": [{{\"text\": \"...\"}}]}}: {e.Message}");
        }

        if (Validate(request, limits) is { } invalid)
        {
            return invalid;
        }

        var serving = current.Serving;
        if (serving is null)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No model loaded",
                detail: "the service has no model serving yet; see GET /health/ready");
        }

        var posts = request!.Texts!.Select(t => t!.Text!).ToArray();
        var log = context.RequestServices.GetService<IDiagnosticContext>();
        log?.Set(RequestLogProperties.Posts, posts.Length);
        log?.Set(RequestLogProperties.ModelVersion, serving.Identity.Version);

        var suggestions = posts.Length == 1 ? [serving.Suggester.Suggest(posts[0])] : serving.Suggester.Suggest(posts);
        var predictions = new PostPrediction[suggestions.Count];
        for (var i = 0; i < predictions.Length; i++)
        {
            predictions[i] = ToPrediction(suggestions[i], serving.Model, allScores.Value);
        }

        return TypedResults.Ok(new PredictResponse(serving.Identity, predictions));
    }

    private static PostPrediction ToPrediction(PostSuggestion suggestion, TagModel model, bool allScores)
    {
        var tags = suggestion.Tags.Select(t => new LabelScore(t.Tag, t.Score, t.Threshold)).ToArray();
        LabelScore[]? scores = null;
        if (allScores)
        {
            scores = new LabelScore[model.Labels.Count];
            for (var l = 0; l < scores.Length; l++)
            {
                scores[l] = new LabelScore(model.Labels[l], suggestion.Scores[l], model.Thresholds[l]);
            }
        }

        return new PostPrediction(tags, scores);
    }

    /// <summary>The first problem of each offending field (at most 20), named as the client wrote them, e.g. <c>texts[3].text</c>.</summary>
    private static ValidationProblem? Validate(PredictRequest? request, PredictOptions limits)
    {
        if (request?.Texts is not { Count: > 0 } texts)
        {
            return Invalid("texts", "texts is required: a non-empty array of {\"text\": \"...\"} objects");
        }

        if (texts.Count > limits.MaxPosts)
        {
            return Invalid("texts", $"at most {limits.MaxPosts} posts per request (Predict:MaxPosts); got {texts.Count}", limits.MaxPosts);
        }

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < texts.Count && errors.Count < 20; i++)
        {
            var text = texts[i]?.Text;
            if (string.IsNullOrWhiteSpace(text))
            {
                errors[$"texts[{i}].text"] = [$"texts[{i}].text is required and must not be empty"];
            }
            else if (text.Length > limits.MaxPostChars)
            {
                errors[$"texts[{i}].text"] =
                    [$"texts[{i}].text has {text.Length:N0} characters; at most {limits.MaxPostChars:N0} are allowed (Predict:MaxPostChars)"];
            }
        }

        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "Invalid request",
            detail: string.Join("; ", errors.Values.Select(v => v[0])));
    }

    private static ValidationProblem Invalid(string field, string message, int? limit = null) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "Invalid request",
            detail: message,
            extensions: limit is null ? null : new Dictionary<string, object?> { ["limit"] = limit });

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    /// <summary>The whole body, or null when it is over <paramref name="limit"/> bytes (told by Content-Length or found reading).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        // let the server read up to our own limit, whatever its default (Kestrel's is 30 MB)
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
