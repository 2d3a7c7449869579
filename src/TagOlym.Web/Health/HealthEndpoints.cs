using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TagOlym.Web.Serving;

namespace TagOlym.Web.Health;

/// <summary><c>GET /health/live</c> (the process answers), <c>GET /health/ready</c> (a model serves and answers a probe
/// post; 503 otherwise) and <c>GET /health</c> (both).</summary>
public static class HealthEndpoints
{
    private const string Live = "live";
    private const string Ready = "ready";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddModelHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("the process is up"), tags: [Live])
            .AddCheck<ModelReadyCheck>("model", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", Options(c => c.Tags.Contains(Live))).WithTags("Health");
        app.MapHealthChecks("/health/ready", Options(c => c.Tags.Contains(Ready))).WithTags("Health");
        app.MapHealthChecks("/health", Options(_ => true)).WithTags("Health");
        return app;
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}

/// <summary>Ready when every configured model serves and answers the probe post now; the data tells each model's state
/// (<c>name</c> and <c>version</c> at the top are the default model's).</summary>
public sealed class ModelReadyCheck(ModelCatalog catalog, IOptions<ModelOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var models = new Dictionary<string, object>();
        var problems = new List<string>();
        foreach (var slot in catalog.All)
        {
            var serving = slot.Current.Serving;
            var problem = serving is null ? "no model is loaded yet" : ModelProbe.Check(serving, options.Value.ProbePost);
            models[slot.Key] = new
            {
                status = problem is null ? "Healthy" : "Unhealthy",
                name = serving?.Identity.Name,
                version = serving?.Identity.Version,
                description = problem ?? "the model answers the probe post",
            };
            if (problem is not null)
            {
                problems.Add(catalog.All.Count == 1 ? problem : $"{slot.Key}: {problem}");
            }

            if (slot == catalog.Default && serving is not null)
            {
                data["name"] = serving.Identity.Name;
                data["version"] = serving.Identity.Version;
            }
        }

        data["models"] = models;
        return Task.FromResult(problems.Count > 0
            ? HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data)
            : HealthCheckResult.Healthy(catalog.All.Count == 1 ? "the model answers the probe post" : "every model answers the probe post", data));
    }
}
