using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Admin;

/// <summary>The <c>Admin</c> section. No key, no admin endpoints (they answer 404).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public const string KeyHeader = "X-Api-Key";

    /// <summary>The key callers send in <c>X-Api-Key</c>; set it through the environment (<c>Admin__ApiKey</c>), never in a file of the repository.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>The answer of a reload.</summary>
public sealed record ReloadResponse(string Outcome, ModelIdentity? Serving, ModelIdentity? Previous);

/// <summary><c>POST /admin/reload</c>: load the source's model now, probe it, swap it in.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/reload", ReloadAsync)
            .WithName("ReloadModel")
            .WithTags("Admin")
            .WithSummary("Reload the model now (header X-Api-Key)")
            .WithDescription("Loads the configured model, checks it answers a probe post and swaps it in; a model that fails is refused (422) and the old one keeps serving.")
            .Produces<ReloadResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Results<Ok<ReloadResponse>, ProblemHttpResult>> ReloadAsync(
        HttpContext context, ModelManager manager, IOptions<AdminOptions> options, CancellationToken cancellationToken)
    {
        if (Authorize(context, options.Value.ApiKey) is { } denied)
        {
            return denied;
        }

        var result = await manager.ReloadAsync(force: true, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == ReloadOutcome.Refused)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Model refused",
                detail: $"the model at {manager.Source.Location} was refused: {result.Error}; the previous model keeps serving",
                extensions: new Dictionary<string, object?> { ["serving"] = result.Serving?.Identity });
        }

        return TypedResults.Ok(new ReloadResponse(result.Outcome.ToString().ToLowerInvariant(), result.Serving?.Identity, result.Previous?.Identity));
    }

    private static ProblemHttpResult? Authorize(HttpContext context, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Admin endpoints disabled",
                detail: "no Admin:ApiKey is configured, so the admin endpoints are off");
        }

        var given = context.Request.Headers[AdminOptions.KeyHeader].ToString();
        if (given.Length == 0)
        {
            context.Response.Headers.WWWAuthenticate = AdminOptions.KeyHeader;
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: $"send the admin key in the {AdminOptions.KeyHeader} header");
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key))
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong API key",
                detail: $"the {AdminOptions.KeyHeader} header does not hold the admin key");
    }
}
