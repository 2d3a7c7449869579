using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TagOlym.Core.Data;
using TagOlym.Web.Access;
using TagOlym.Web.Http;
using TagOlym.Web.Predict;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Feedback;

/// <summary>The <c>Feedback</c> section.</summary>
public sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    /// <summary>Where verdicts are stored: a Microsoft.Data.Sqlite connection string; a relative Data Source is resolved
    /// against <see cref="ServicePaths.Base"/>.</summary>
    public string ConnectionString { get; set; } = "Data Source=stores/feedback.db";
}

/// <summary>The body of <c>POST /feedback</c>: which of the suggested tags a moderator accepted and rejected for a post.</summary>
/// <param name="Id">The forum's post id (string or number); without it the post is known by its text.</param>
/// <param name="ModelVersion">The version of the model that suggested the tags (<c>model.version</c> of the /predict answer).</param>
/// <param name="Model">The served model's name (default: the default model).</param>
public sealed record FeedbackRequest(
    JsonElement? Id,
    string? Text,
    IReadOnlyList<string?>? Accepted,
    IReadOnlyList<string?>? Rejected,
    string? ModelVersion,
    string? Model);

/// <summary>What was recorded: <c>created</c>, <c>unchanged</c> (the same verdict again) or <c>replaced</c>.</summary>
public sealed record FeedbackResponse(JsonElement PostId, string Model, string ModelVersion, string Outcome);

/// <summary><c>POST /feedback</c>: a moderator's accepted and rejected tags, stored once per (post id, model version).</summary>
public static class FeedbackEndpoints
{
    public const int MaxTags = 64;
    public const int MaxTagChars = 100;
    public const int MaxVersionChars = 100;

    private const string Shape = "{\"id\": \"...\", \"text\": \"...\", \"accepted\": [\"...\"], \"rejected\": [\"...\"], \"modelVersion\": \"...\"}";

    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedbackOptions>().Bind(configuration.GetSection(FeedbackOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "Feedback:ConnectionString must name the database (Data Source=...)")
            .ValidateOnStart();
        services.AddSingleton(sp => new FeedbackStore(
            sp.GetRequiredService<IOptions<FeedbackOptions>>().Value.ConnectionString, sp.GetRequiredService<ServicePaths>().Base));
        return services;
    }

    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/feedback", RecordAsync)
            .WithName("Feedback")
            .WithTags("Feedback")
            .WithSummary("Record which suggested tags a moderator accepted and rejected")
            .WithDescription("Stored once per (post id, model version): sending the same verdict again changes nothing (200 `unchanged`), " +
                             "a different one replaces it (200 `replaced`); the first is 201 `created`. Without an `id`, the post is known by its text. " +
                             "`tagolym feedback export` turns the accepted tags into training data.")
            .RequireClientAccess()
            .Accepts<FeedbackRequest>("application/json")
            .Produces<FeedbackResponse>(StatusCodes.Status201Created)
            .Produces<FeedbackResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    internal static async Task<Results<Created<FeedbackResponse>, Ok<FeedbackResponse>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        HttpContext context,
        FeedbackStore store,
        ModelCatalog catalog,
        IOptions<PredictOptions> predictOptions,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var limits = predictOptions.Value;
        var (request, problem) = await JsonRequests.ReadAsync<FeedbackRequest>(context, limits.MaxBodyBytes, "Predict:MaxBodyBytes", Shape, cancellationToken)
            .ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (Validate(request, limits, catalog) is { } invalid)
        {
            return invalid;
        }

        var model = request!.Model ?? catalog.Default.Key;
        var postId = request.Id is { } id ? PostIds.ToPostId(id) : FeedbackStore.IdOf(request.Text!);
        var entry = new FeedbackEntry(postId, request.ModelVersion!, model, request.Text!,
            Tags(request.Accepted), Tags(request.Rejected), clock.GetUtcNow());
        var outcome = await store.RecordAsync(entry, cancellationToken).ConfigureAwait(false);
        var response = new FeedbackResponse(JsonSerializer.SerializeToElement(postId), model, entry.ModelVersion, outcome.ToString().ToLowerInvariant());
        return outcome == FeedbackWrite.Created ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
    }

    private static string[] Tags(IReadOnlyList<string?>? tags) => tags?.Select(t => t!.Trim()).Distinct(StringComparer.Ordinal).ToArray() ?? [];

    private static ValidationProblem? Validate(FeedbackRequest? request, PredictOptions limits, ModelCatalog catalog)
    {
        if (request is null)
        {
            return JsonRequests.Invalid("text", "the body must be an object " + Shape);
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["text is required: the post the tags were suggested for"];
        }
        else if (request.Text.Length > limits.MaxPostChars)
        {
            errors["text"] = [$"text has {request.Text.Length:N0} characters; at most {limits.MaxPostChars:N0} are allowed (Predict:MaxPostChars)"];
        }

        if (request.Id is { } id && PostIds.Check(id, "id") is { } idProblem)
        {
            errors["id"] = [idProblem];
        }

        if (string.IsNullOrWhiteSpace(request.ModelVersion))
        {
            errors["modelVersion"] = ["modelVersion is required: the version of the model that suggested the tags (model.version in the /predict answer)"];
        }
        else if (request.ModelVersion.Length > MaxVersionChars)
        {
            errors["modelVersion"] = [$"modelVersion has {request.ModelVersion.Length} characters; at most {MaxVersionChars} are allowed"];
        }

        if (request.Model is { } model && catalog.Find(model) is null)
        {
            errors["model"] = [$"model '{JsonRequests.Truncate(model)}' is not served here; the service serves: {string.Join(", ", catalog.All.Select(s => s.Key))}"];
        }

        CheckTags("accepted", request.Accepted, errors);
        CheckTags("rejected", request.Rejected, errors);
        if ((request.Accepted?.Count ?? 0) + (request.Rejected?.Count ?? 0) == 0)
        {
            errors["accepted"] = ["give at least one tag in accepted or rejected"];
        }
        else if (request.Accepted is { } accepted && request.Rejected is { } rejected
                 && accepted.Select(t => t?.Trim()).Intersect(rejected.Select(t => t?.Trim()), StringComparer.Ordinal).FirstOrDefault() is { } both)
        {
            errors["rejected"] = [$"the tag '{JsonRequests.Truncate(both)}' is both accepted and rejected"];
        }

        return JsonRequests.Invalid(errors);
    }

    private static void CheckTags(string field, IReadOnlyList<string?>? tags, Dictionary<string, string[]> errors)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            errors[field] = [$"at most {MaxTags} tags in {field}; got {tags.Count}"];
            return;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i]!.Length > MaxTagChars)
            {
                errors[$"{field}[{i}]"] = [$"{field}[{i}] must be a non-empty tag of at most {MaxTagChars} characters"];
                return;
            }
        }
    }
}
