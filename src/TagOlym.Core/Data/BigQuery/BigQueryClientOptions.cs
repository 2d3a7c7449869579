using Google.Apis.Util;

namespace TagOlym.Core.Data.BigQuery;

/// <summary>How <see cref="BigQueryClient"/> talks to BigQuery. The defaults are Google's endpoints and limits.</summary>
public sealed record BigQueryClientOptions
{
    /// <summary>BigQuery's REST API v2.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://bigquery.googleapis.com/bigquery/v2/");

    /// <summary>The API root (<c>.../bigquery/v2/</c>); another one serves a test or a private endpoint.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Where the job runs (<c>US</c>, <c>EU</c>, a region); null lets BigQuery decide from the tables.</summary>
    public string? Location { get; init; }

    /// <summary>Rows per page asked for (<c>maxResults</c>); BigQuery also caps a page at about 10 MB.</summary>
    public int PageSize { get; init; } = 10_000;

    /// <summary>How long the query job may run (<c>jobTimeoutMs</c>, after which BigQuery stops it, and the client's deadline).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long one call waits on the server for a running job (<c>timeoutMs</c>) before answering <c>jobComplete: false</c>.</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Tries of one request: transient failures (429, 5xx, rate and quota errors, lost connections) are retried with back-off.</summary>
    public int Tries { get; init; } = 5;

    /// <summary>The waits between tries (Google.Apis' exponential back-off: about 1, 2, 4, 8 s).</summary>
    public IBackOff BackOff { get; init; } = new ExponentialBackOff();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"the BigQuery endpoint must be an http(s) URL, not {Endpoint}");
        }

        if (PageSize < 1)
        {
            throw new ArgumentException($"the page size must be at least 1, not {PageSize}");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the timeout must be positive, not {Timeout}");
        }

        if (PollWait <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the poll wait must be positive, not {PollWait}");
        }

        if (Tries < 1)
        {
            throw new ArgumentException($"the number of tries must be at least 1, not {Tries}");
        }
    }
}
