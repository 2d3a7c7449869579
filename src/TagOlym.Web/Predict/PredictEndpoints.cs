using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Serilog;
using TagOlym.Core.Models;
using TagOlym.Web.Access;
using TagOlym.Web.Http;
using TagOlym.Web.Logging;
using TagOlym.Web.Metrics;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Predict;

/// <summary><c>POST /predict</c> (the default model) and <c>POST /models/{name}/predict</c>: suggested tags for one or more posts.</summary>
public static class PredictEndpoints
{
    private const string Shape = "{\"texts\": [{\"id\": \"...\", \"text\": \"...\"}], \"limit\": N, \"minScore\": X}";

    private const string Description =
        "Answers, in input order, each post's suggested tags (score above the label's threshold, highest first), with the post's `id` " +
        "when it was given. `limit` (at most N tags) and `minScore` (only tags scoring at least X), in the query or the body, narrow " +
        "that answer after the model's thresholds: they never add a tag. With `?scores=all`, also every label's score and threshold; with `?explain=true`, why each suggested tag got " +
        "its score (each member's top n-grams by weight x TF-IDF, its intercept and margin, and the combined score). " +
        "Posts are Markdown with LaTeX (`$..$`, `\\[..\\]`, `\\begin..\\end`).";

    public static IEndpointRouteBuilder MapPredict(this IEndpointRouteBuilder app)
    {
        Document(app.MapPost("/predict", PredictDefaultAsync).WithName("Predict").WithSummary("Suggest tags for posts (the default model)"));
        Document(app.MapPost("/models/{name}/predict", PredictNamedAsync).WithName("PredictWithModel").WithSummary("Suggest tags for posts with a named model")
            .ProducesProblem(StatusCodes.Status404NotFound));
        return app;
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder endpoint) => endpoint
        .WithTags("Predict")
        .WithDescription(Description)
        .RequireClientAccess()
        .Accepts<PredictRequest>("application/json")
        .Produces<PredictResponse>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> PredictDefaultAsync(
        HttpContext context,
        ModelCatalog catalog,
        ServiceMetrics metrics,
        IOptions<PredictOptions> options,
        [FromQuery(Name = "scores")] string? scores,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "minScore")] string? minScore,
        [FromQuery(Name = "explain")] string? explain,
        CancellationToken cancellationToken) =>
        PredictAsync(context, catalog.Default, metrics, options.Value, new QueryOptions(scores, limit, minScore, explain), cancellationToken);

    internal static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> PredictNamedAsync(
        HttpContext context,
        string name,
        ModelCatalog catalog,
        ServiceMetrics metrics,
        IOptions<PredictOptions> options,
        [FromQuery(Name = "scores")] string? scores,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "minScore")] string? minScore,
        [FromQuery(Name = "explain")] string? explain,
        CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } slot)
        {
            return UnknownModel(name, catalog);
        }

        return await PredictAsync(context, slot, metrics, options.Value, new QueryOptions(scores, limit, minScore, explain), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>404 naming the models there are.</summary>
    internal static ProblemHttpResult UnknownModel(string name, ModelCatalog catalog) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown model",
            detail: $"no model is served under the name '{JsonRequests.Truncate(name)}'; the service serves: {string.Join(", ", catalog.All.Select(s => s.Key))}");

    private sealed record QueryOptions(string? Scores, string? Limit, string? MinScore, string? Explain);

    /// <summary>How many n-grams each member names per explained tag.</summary>
    private const int ExplainedTerms = 10;

    private static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> PredictAsync(
        HttpContext context, ModelSlot slot, ServiceMetrics metrics, PredictOptions limits, QueryOptions query, CancellationToken cancellationToken)
    {
        var allScores = query.Scores switch
        {
            null or "" or "tags" => false,
            "all" => true,
            _ => (bool?)null,
        };
        if (allScores is null)
        {
            return JsonRequests.Invalid("scores", $"scores must be 'all' or absent; got '{JsonRequests.Truncate(query.Scores!)}'");
        }

        var explainTags = query.Explain switch
        {
            null or "" or "false" => false,
            "true" => true,
            _ => (bool?)null,
        };
        if (explainTags is null)
        {
            return JsonRequests.Invalid("explain", $"explain must be 'true', 'false' or absent; got '{JsonRequests.Truncate(query.Explain!)}'");
        }

        int? queryLimit = null;
        if (query.Limit is not null)
        {
            if (!int.TryParse(query.Limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return JsonRequests.Invalid("limit", $"limit must be a whole number of at least 1; got '{JsonRequests.Truncate(query.Limit)}'", 1);
            }

            queryLimit = parsed;
        }

        double? queryMinScore = null;
        if (query.MinScore is not null)
        {
            queryMinScore = JsonRequests.ParseFinite(query.MinScore);
            if (queryMinScore is null)
            {
                return JsonRequests.Invalid("minScore", $"minScore must be a finite number; got '{JsonRequests.Truncate(query.MinScore)}'");
            }
        }

        var (request, problem) = await JsonRequests.ReadAsync<PredictRequest>(context, limits.MaxBodyBytes, "Predict:MaxBodyBytes", Shape, cancellationToken)
            .ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (Validate(request, limits, queryLimit, queryMinScore) is { } invalid)
        {
            return invalid;
        }

        var narrowing = new SuggestionLimits(queryLimit ?? request!.Limit, queryMinScore ?? request!.MinScore);
        var serving = slot.Current.Serving;
        if (serving is null)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No model loaded",
                detail: $"the model '{slot.Key}' is not serving yet; see GET /health/ready");
        }

        var inputs = request!.Texts!;
        var posts = new string[inputs.Count];
        for (var i = 0; i < posts.Length; i++)
        {
            posts[i] = inputs[i]!.Text!;
        }

        var log = context.RequestServices.GetService<IDiagnosticContext>();
        log?.Set(RequestLogProperties.Posts, posts.Length);
        log?.Set(RequestLogProperties.ModelVersion, serving.Identity.Version);

        var suggestions = posts.Length == 1 ? [serving.Suggester.Suggest(posts[0])] : serving.Suggester.Suggest(posts);
        metrics.RecordSuggestions(slot, serving, suggestions);
        var predictions = new PostPrediction[suggestions.Count];
        for (var i = 0; i < predictions.Length; i++)
        {
            predictions[i] = ToPrediction(inputs[i]!.Id, suggestions[i], narrowing, serving.Model, allScores.Value);
            if (explainTags.Value)
            {
                predictions[i] = predictions[i] with { Explanations = Explain(serving.Model, posts[i], predictions[i].Tags) };
            }
        }

        return TypedResults.Ok(new PredictResponse(serving.Identity, predictions));
    }

    /// <summary>Why each answered tag got its score, in the answer's order: each member's top n-grams, its intercept, the combined score.</summary>
    private static LabelExplanation[] Explain(TagModel model, string post, IReadOnlyList<LabelScore> tags)
    {
        var byLabel = model.Explain(post, ExplainedTerms).ToDictionary(e => e.Label, StringComparer.Ordinal);
        return [.. tags.Select(t => byLabel[t.Tag])];
    }

    private static PostPrediction ToPrediction(System.Text.Json.JsonElement? id, PostSuggestion suggestion, SuggestionLimits narrowing, TagModel model, bool allScores)
    {
        var kept = narrowing.Apply(suggestion.Tags);
        var tags = new LabelScore[kept.Count];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new LabelScore(kept[i].Tag, kept[i].Score, kept[i].Threshold);
        }

        LabelScore[]? scores = null;
        if (allScores)
        {
            scores = new LabelScore[model.Labels.Count];
            for (var l = 0; l < scores.Length; l++)
            {
                scores[l] = new LabelScore(model.Labels[l], suggestion.Scores[l], model.Thresholds[l]);
            }
        }

        return new PostPrediction(id, tags, scores);
    }

    /// <summary>The first problem of each offending field (at most 20), named as the client wrote them, e.g. <c>texts[3].text</c>.</summary>
    private static ValidationProblem? Validate(PredictRequest? request, PredictOptions limits, int? queryLimit, double? queryMinScore)
    {
        if (request?.Texts is not { Count: > 0 } texts)
        {
            return JsonRequests.Invalid("texts", "texts is required: a non-empty array of {\"text\": \"...\"} objects");
        }

        if (texts.Count > limits.MaxPosts)
        {
            return JsonRequests.Invalid("texts", $"at most {limits.MaxPosts} posts per request (Predict:MaxPosts); got {texts.Count}", limits.MaxPosts);
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Limit is not null && queryLimit is not null)
        {
            errors["limit"] = [$"limit is given both in the query ({queryLimit}) and in the body ({request.Limit}); give it once"];
        }
        else if ((queryLimit ?? request.Limit) is < 1 and var limit)
        {
            errors["limit"] = [$"limit must be at least 1; got {limit}"];
        }

        if (request.MinScore is not null && queryMinScore is not null)
        {
            errors["minScore"] = [$"minScore is given both in the query ({queryMinScore}) and in the body ({request.MinScore}); give it once"];
        }

        HashSet<string>? ids = null;
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

            if (texts[i]?.Id is { } id)
            {
                if (PostIds.Check(id, $"texts[{i}].id") is { } idProblem)
                {
                    errors[$"texts[{i}].id"] = [idProblem];
                }
                else if (!(ids ??= new HashSet<string>(StringComparer.Ordinal)).Add(id.GetRawText()))
                {
                    errors[$"texts[{i}].id"] = [$"texts[{i}].id repeats the id of an earlier post: ids must be unique within a request"];
                }
            }
        }

        return JsonRequests.Invalid(errors);
    }
}
