using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Compact;

namespace TagOlym.Web.Logging;

/// <summary>
/// Serilog as the log provider (Serilog.AspNetCore): levels from the <c>Serilog</c> section, compact JSON lines
/// (CLEF) in Production and readable text in Development (<c>Logging:Format</c> = <c>json</c> or <c>text</c> overrides),
/// written through the async sink so that a slow console never holds a request. One line per request comes from
/// Serilog's request logging; endpoints add what they know (<see cref="RequestLogProperties"/>) through
/// <see cref="IDiagnosticContext"/>.
/// </summary>
public static class LoggingSetup
{
    /// <summary>Logs every failed check as an error: each readiness probe while the first model loads. The model's own
    /// failures are logged once by the model manager, so this category is quiet by default.</summary>
    private const string HealthCheckService = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public const string RequestTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var json = string.Equals(builder.Configuration["Logging:Format"] ?? (builder.Environment.IsDevelopment() ? "text" : "json"),
            "json", StringComparison.OrdinalIgnoreCase);
        var logger = new LoggerConfiguration()
            // defaults for when no Serilog section is found (e.g. the service started from another folder); the section overrides them
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override(HealthCheckService, LogEventLevel.Fatal)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Async(sink =>
            {
                if (json)
                {
                    sink.Console(new CompactJsonFormatter());
                }
                else
                {
                    sink.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
                }
            })
            .CreateLogger();

        // Serilog as the only logging provider (a test may add its own beside it); disposed, so flushed, with the host
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace); // Serilog's own levels decide
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton(new DiagnosticContext(logger));
        builder.Services.AddSingleton<IDiagnosticContext>(services => services.GetRequiredService<DiagnosticContext>());
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
        return builder;
    }

    /// <summary>
    /// One line per request: method, path (never the query string), status and elapsed time, plus what the endpoint
    /// set (posts, model version). Health probes are logged at Debug, their 503 while a model loads included (below the
    /// default level: an orchestrator polls them every few seconds); other server errors at Error.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        return app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = RequestTemplate;
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = LevelOf;
            options.Logger = logger;
        });
    }

    internal static LogEventLevel LevelOf(HttpContext context, double elapsedMs, Exception? error) =>
        error is not null ? LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) ? LogEventLevel.Debug
        : context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : LogEventLevel.Information;
}

/// <summary>What an endpoint adds to its request's log line (never a post's text): set only when known, so a line
/// carries no empty placeholders.</summary>
public static class RequestLogProperties
{
    public const string Posts = "Posts";

    public const string ModelVersion = "ModelVersion";
}
