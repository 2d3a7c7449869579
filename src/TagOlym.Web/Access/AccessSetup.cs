using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TagOlym.Web.Access;

/// <summary>Marks an endpoint as a client endpoint: an API key when keys are configured, and the per-client rate limit.</summary>
public sealed class ClientEndpointMetadata
{
    public static ClientEndpointMetadata Instance { get; } = new();
}

/// <summary>API keys, per-client rate limits, CORS and the path base (the <c>Access</c> section).</summary>
public static class AccessSetup
{
    public const string RateLimitPolicy = "per-client";

    private const string ClientItem = "tagolym.client";

    public static IServiceCollection AddClientAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.Section))
            .Validate(o => o.ApiKeys.Values.All(k => k.Length >= 16), "Access:ApiKeys: every key must have at least 16 characters")
            .Validate(o => o.RateLimit.PermitLimit >= 0 && o.RateLimit.Window > TimeSpan.Zero,
                "Access:RateLimit:PermitLimit must be 0 (off) or more, and Access:RateLimit:Window positive")
            .Validate(o => string.IsNullOrEmpty(o.PathBase) || (o.PathBase.StartsWith('/') && !o.PathBase.EndsWith('/')),
                "Access:PathBase must start with '/' and not end with one, e.g. /tagolym")
            .Validate(o => o.CorsOrigins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/"),
                "Access:CorsOrigins must be origins such as https://forum.example.org (scheme, host and port only)")
            .ValidateOnStart();
        var settings = configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(settings.CorsOrigins)
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", AccessOptions.KeyHeader)
            .WithExposedHeaders("Retry-After")));
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value.RateLimit;
                return RateLimitPartition.GetFixedWindowLimiter(ClientOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var window = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value.RateLimit;
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"this client may send {window.PermitLimit} requests per {window.Window.TotalSeconds:0.###} s " +
                            $"(Access:RateLimit); retry after {seconds} s",
                    extensions: new Dictionary<string, object?> { ["limit"] = window.PermitLimit, ["retryAfterSeconds"] = seconds })
                    .ExecuteAsync(rejected.HttpContext).ConfigureAwait(false);
            };
        });
        return services;
    }

    /// <summary>Client endpoints ask for an API key (when keys are configured) and count against the client's rate limit.</summary>
    public static RouteHandlerBuilder RequireClientAccess(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(ClientEndpointMetadata.Instance).RequireRateLimiting(RateLimitPolicy);

    /// <summary>The path base, before anything else routes.</summary>
    public static WebApplication UseConfiguredPathBase(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.PathBase is { Length: > 0 } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        return app;
    }

    /// <summary>CORS, the key check and the rate limiter; after routing, so they know the endpoint.</summary>
    public static WebApplication UseClientAccess(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<AccessOptions>>().Value;
        if (settings.CorsOrigins.Length > 0)
        {
            app.UseCors();
        }

        if (settings.ApiKeys.Count > 0)
        {
            var keys = settings.ApiKeys.Select(k => (Name: k.Key, Key: Encoding.UTF8.GetBytes(k.Value))).ToArray();
            app.Use(async (context, next) =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<ClientEndpointMetadata>() is not null
                    && !HttpMethods.IsOptions(context.Request.Method)
                    && await AuthenticateAsync(context, keys).ConfigureAwait(false) is false)
                {
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
        }

        // off (the default), the limiter is not in the pipeline at all: nothing to pay per request
        if (settings.RateLimit.PermitLimit > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }

    /// <summary>Finds the client whose key the request carries; answers 401/403 and returns false when there is none.</summary>
    private static async Task<bool> AuthenticateAsync(HttpContext context, (string Name, byte[] Key)[] keys)
    {
        var given = context.Request.Headers[AccessOptions.KeyHeader].ToString();
        if (given.Length == 0)
        {
            context.Response.Headers.WWWAuthenticate = AccessOptions.KeyHeader;
            await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: $"send your API key in the {AccessOptions.KeyHeader} header").ExecuteAsync(context).ConfigureAwait(false);
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(given);
        string? client = null;
        foreach (var (name, key) in keys)
        {
            // compare with every key, so the time taken does not tell which one was close
            if (CryptographicOperations.FixedTimeEquals(bytes, key))
            {
                client = name;
            }
        }

        if (client is null)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong API key",
                detail: $"the {AccessOptions.KeyHeader} header does not hold a key this service knows").ExecuteAsync(context).ConfigureAwait(false);
            return false;
        }

        context.Items[ClientItem] = client;
        return true;
    }

    /// <summary>The rate-limit partition: the authenticated client's name, else the caller's address.</summary>
    private static string ClientOf(HttpContext context) =>
        context.Items[ClientItem] is string client ? "key:" + client : "ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);
}
