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

/// <summary>Ready when a model serves and answers the probe post now.</summary>
public sealed class ModelReadyCheck(CurrentModel current, IOptions<ModelOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var serving = current.Serving;
        if (serving is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("no model is loaded yet"));
        }

        var data = new Dictionary<string, object> { ["name"] = serving.Identity.Name, ["version"] = serving.Identity.Version };
        return Task.FromResult(ModelProbe.Check(serving, options.Value.ProbePost) is { } problem
            ? HealthCheckResult.Unhealthy(problem, data: data)
            : HealthCheckResult.Healthy("the model answers the probe post", data));
    }
}
