using Prometheus;

namespace TagOlym.Web.Metrics;

/// <summary><c>GET /metrics</c> in Prometheus text format (prometheus-net): HTTP requests per endpoint, method and status
/// (count and latency histogram) and the service's own metrics (<see cref="ServiceMetrics"/>).</summary>
public static class MetricsSetup
{
    public static IServiceCollection AddServiceMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section))
            .Validate(o => o.SuggestionWindow >= TimeSpan.FromSeconds(10), "Metrics:SuggestionWindow must be at least 10 seconds")
            .ValidateOnStart();
        services.AddSingleton<ServiceMetrics>();
        return services;
    }

    /// <summary>Request metrics; after routing, so they are labelled with the endpoint's route.</summary>
    public static WebApplication UseRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(metrics.Factory);
            options.InProgress.Enabled = false; // counts and latencies are what is asked; one gauge less per request
        });
        return app;
    }

    public static IEndpointRouteBuilder MapServiceMetrics(this IEndpointRouteBuilder app)
    {
        var metrics = app.ServiceProvider.GetRequiredService<ServiceMetrics>();
        app.MapMetrics("/metrics", metrics.Registry).WithTags("Metrics").WithSummary("Prometheus metrics");
        return app;
    }
}
