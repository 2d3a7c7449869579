using System.Diagnostics;

namespace TagOlym.Web.Logging;

/// <summary>What an endpoint adds to its request's log line (never a post's text).</summary>
public sealed class RequestLogFeature
{
    public int? Posts { get; set; }

    public string? ModelVersion { get; set; }
}

/// <summary>One structured line per request: method, path, status, elapsed ms, number of posts, model version.
/// No query string, no header, no body: neither a post nor a key ever reaches the log.</summary>
public sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feature = new RequestLogFeature();
        context.Features.Set(feature);
        var start = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context).ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Log(context.Request.Method, context.Request.Path.Value ?? "/", status, elapsed, feature.Posts, feature.ModelVersion);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms (posts {Posts}, model {ModelVersion})")]
    private partial void Log(string method, string path, int statusCode, double elapsedMs, int? posts, string? modelVersion);
}
