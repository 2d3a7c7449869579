namespace TagOlym.Web.Access;

/// <summary>The <c>Access</c> section: who may call <c>/predict</c>, <c>/models/{name}/predict</c> and <c>/feedback</c>,
/// how often, from which web origins, and under which path prefix the service is reached. Everything is off by default.</summary>
public sealed class AccessOptions
{
    public const string Section = "Access";

    public const string KeyHeader = "X-Api-Key";

    /// <summary>Client name -> key (<c>Access__ApiKeys__forum=...</c> in the environment; never in a file of the
    /// repository). Empty: no key is asked for. The client's name, never its key, partitions the rate limit.</summary>
    public Dictionary<string, string> ApiKeys { get; init; } = new(StringComparer.Ordinal);

    public RateLimitOptions RateLimit { get; init; } = new();

    /// <summary>Web origins (e.g. <c>https://forum.example.org</c>) whose pages may call the service from a browser. Empty: no CORS headers.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>The prefix a reverse proxy forwards under (e.g. <c>/tagolym</c>), so links and the tester page work behind it. Empty: none.</summary>
    public string? PathBase { get; set; }
}

/// <summary>The <c>Access:RateLimit</c> section: a fixed window of <see cref="PermitLimit"/> requests per
/// <see cref="Window"/>, per client (its key's name, or its address when keys are off). A permit limit of 0 turns it off.</summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);
}
