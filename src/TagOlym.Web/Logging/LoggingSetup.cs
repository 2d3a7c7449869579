using Serilog;

namespace TagOlym.Web.Logging;

/// <summary>Serilog as the only log provider: levels from the <c>Serilog</c> section, compact JSON lines in Production
/// and readable text in Development (<c>Logging:Format</c> = <c>json</c> or <c>text</c> overrides).</summary>
public static class LoggingSetup
{
    /// <summary>Logs every failed check as an error: each readiness probe while the first model loads. The model's own
    /// failures are logged once by the model manager, so this category is quiet by default.</summary>
    private const string HealthCheckService = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var format = builder.Configuration["Logging:Format"]
            ?? (builder.Environment.IsDevelopment() ? "text" : "json");
        var configuration = new LoggerConfiguration()
            // defaults for when no Serilog section is found (e.g. the service started from another folder); the section overrides them
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override(HealthCheckService, Serilog.Events.LogEventLevel.Fatal)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        configuration = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)
            ? configuration.WriteTo.Console(new CompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace); // Serilog's own levels decide
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();
}
