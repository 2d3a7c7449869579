using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;

namespace TagOlym.Core.Data.BigQuery;

/// <summary>
/// Runs a standard-SQL query through BigQuery's REST API v2 and hands its result over page by page:
/// <c>jobs.query</c> starts the job, <c>jobs.getQueryResults</c> waits for it while <c>jobComplete</c> is false and
/// then follows <c>pageToken</c> until there is none. Requests carry the service account's access token
/// (Google.Apis.Auth) and go through Google.Apis' configurable HTTP client, whose back-off handler retries
/// transient failures; every failure that remains is a <see cref="BigQueryException"/> with one clear line.
/// </summary>
public sealed partial class BigQueryClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };

    private readonly ConfigurableHttpClient http;
    private readonly BigQueryKey key;
    private readonly BigQueryClientOptions options;

    public BigQueryClient(BigQueryKey key, string projectId, BigQueryClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        this.key = key;
        ProjectId = projectId;
        this.options = options ?? new BigQueryClientOptions();
        this.options.Validate();

        var args = new CreateHttpClientArgs { ApplicationName = "tagolym", GZipEnabled = true };
        args.Initializers.Add(key.Credential);
        http = new HttpClientFactory().CreateHttpClient(args);
        // one call waits up to PollWait on the server, plus the back-off between tries
        http.Timeout = this.options.PollWait + TimeSpan.FromMinutes(2);
        http.MessageHandler.NumTries = this.options.Tries;
        var backOff = new BackOffHandler(new BackOffHandler.Initializer(this.options.BackOff)
        {
            HandleUnsuccessfulResponseFunc = _ => true,
            RespectRetryAfterHeader = true,
        });
        http.MessageHandler.AddUnsuccessfulResponseHandler(new TransientFailures(backOff));
        http.MessageHandler.AddExceptionHandler(backOff);
    }

    /// <summary>The project the job runs in and is billed to.</summary>
    public string ProjectId { get; }

    public void Dispose() => http.Dispose();

    /// <summary>
    /// Runs <paramref name="sql"/> and yields its pages in order. Each page is valid until the next is asked for,
    /// so memory holds one page whatever the size of the result.
    /// </summary>
    public async IAsyncEnumerable<QueryPage> QueryAsync(string sql, IProgress<BigQueryProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        await AuthenticateAsync(cancellationToken).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        var body = new JsonObject
        {
            ["query"] = sql,
            ["useLegacySql"] = false,
            ["maxResults"] = options.PageSize,
            ["timeoutMs"] = (long)options.PollWait.TotalMilliseconds,
            ["jobTimeoutMs"] = ((long)options.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            // the same id on a retried jobs.query makes BigQuery answer with the job it already started
            ["requestId"] = Guid.NewGuid().ToString(),
        };
        if (options.Location is { } location)
        {
            body["location"] = location;
        }

        var answer = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, Url($"projects/{Escape(ProjectId)}/queries")) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, JsonType) },
            "jobs.query", cancellationToken).ConfigureAwait(false);

        JobReference job;
        try
        {
            job = JobReference.From(answer.RootElement, ProjectId, options.Location);
        }
        catch
        {
            answer.Dispose();
            throw;
        }

        IReadOnlyList<BigQueryField>? schema = null;
        var pages = 0;
        long rows = 0;
        while (true)
        {
            Uri next;
            try
            {
                var root = answer.RootElement;
                var complete = root.TryGetProperty("jobComplete", out var done) && done.ValueKind == JsonValueKind.True;
                string? pageToken = null;
                if (complete)
                {
                    schema ??= BigQueryField.ParseSchema(root.TryGetProperty("schema", out var s) ? s : default);
                    var page = new QueryPage(job.JobId, ++pages, schema, root.TryGetProperty("rows", out var r) ? r : default, TotalRows(root));
                    rows += page.RowCount;
                    yield return page;
                    progress?.Report(new BigQueryProgress(job.JobId, true, pages, rows, page.TotalRows, clock.Elapsed));
                    pageToken = root.TryGetProperty("pageToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
                    if (string.IsNullOrEmpty(pageToken))
                    {
                        yield break;
                    }
                }
                else
                {
                    progress?.Report(new BigQueryProgress(job.JobId, false, 0, 0, null, clock.Elapsed));
                    if (clock.Elapsed >= options.Timeout)
                    {
                        throw new BigQueryException(
                            $"the query job {job.JobId} did not finish within {Duration(options.Timeout)} (--timeout); BigQuery stops it at that limit");
                    }
                }

                var wait = complete ? options.PollWait : Min(options.PollWait, options.Timeout - clock.Elapsed);
                var query = new List<string>
                {
                    $"maxResults={options.PageSize}",
                    $"timeoutMs={Math.Max(1, (long)wait.TotalMilliseconds)}",
                };
                if (job.Location is { } jobLocation)
                {
                    query.Add($"location={Uri.EscapeDataString(jobLocation)}");
                }

                if (pageToken is not null)
                {
                    query.Add($"pageToken={Uri.EscapeDataString(pageToken)}");
                }

                next = Url($"projects/{Escape(job.ProjectId)}/queries/{Escape(job.JobId)}?{string.Join('&', query)}");
            }
            finally
            {
                answer.Dispose();
            }

            answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, next), "jobs.getQueryResults", cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Duration(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s")
            : span.ToString(span < TimeSpan.FromDays(1) ? @"h\:mm\:ss" : @"d\.hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static long? TotalRows(JsonElement root) =>
        root.TryGetProperty("totalRows", out var total) && long.TryParse(total.ValueKind == JsonValueKind.String ? total.GetString() : total.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    private Uri Url(string relative) => new(options.Endpoint, relative);

    /// <summary>Gets the first access token, so that a refused key or an unreachable token endpoint is said as such.</summary>
    private async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        var credential = (ServiceAccountCredential)key.Credential.UnderlyingCredential;
        try
        {
            await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException e)
        {
            var detail = string.IsNullOrEmpty(e.Error?.ErrorDescription) ? e.Error?.Error : $"{e.Error.Error}: {e.Error.ErrorDescription}";
            throw new BigQueryException(
                $"the token endpoint {credential.TokenServerUrl} refused the key of {key.ClientEmail} in {key.Path} ({OneLine(detail ?? "no reason given")}): is the key deleted or disabled?", e);
        }
        catch (HttpRequestException e)
        {
            throw new BigQueryException($"could not reach the token endpoint {credential.TokenServerUrl}: {OneLine(e.Message)}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BigQueryException($"the token endpoint {credential.TokenServerUrl} did not answer in time", e);
        }
    }

    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> create, string method, CancellationToken cancellationToken)
    {
        using var request = create();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException e)
        {
            throw new BigQueryException($"the token endpoint refused to renew the access token of {key.ClientEmail} ({OneLine(e.Error?.Error ?? e.Message)})", e);
        }
        catch (HttpRequestException e)
        {
            throw new BigQueryException($"could not reach BigQuery at {options.Endpoint.GetLeftPart(UriPartial.Authority)} after {options.Tries} tries: {OneLine(e.Message)}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BigQueryException($"BigQuery did not answer {method} within {Duration(http.Timeout)}", e);
        }

        using (response)
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response.StatusCode, content);
            }

            try
            {
                return JsonDocument.Parse(content);
            }
            catch (JsonException e)
            {
                throw new BigQueryException($"BigQuery answered {method} with something that is not JSON ({Snippet(content)})", e);
            }
        }
    }

    /// <summary>The one-line message for an error answer (<c>{"error": {"code", "message", "errors": [{"reason"}], "status"}}</c>).</summary>
    internal BigQueryException Failure(HttpStatusCode status, byte[] content)
    {
        var (message, reason) = ErrorBody.Read(content);
        message = OneLine(message ?? (content.Length > 0 ? Snippet(content) : status.ToString()));
        var code = (int)status;
        var afterTries = options.Tries > 1 ? $", still after {options.Tries} tries" : "";
        return code switch
        {
            401 => new BigQueryException(
                $"BigQuery refused the credentials of {key.ClientEmail} (401): {message}"),
            403 when ErrorBody.IsRateOrQuota(reason) => new BigQueryException($"BigQuery quota exceeded ({reason}{afterTries}): {message}"),
            403 => new BigQueryException(AccessDenied(message)),
            404 => new BigQueryException($"not found (404): {message}; check the project, dataset and table names of the query and --location"),
            429 => new BigQueryException($"BigQuery quota exceeded (429{afterTries}): {message}"),
            >= 500 => new BigQueryException($"BigQuery failed ({code}{afterTries}): {message}"),
            400 => new BigQueryException($"the query job failed ({reason ?? "400"}): {message}"),
            _ => new BigQueryException($"BigQuery refused the request ({code}{(reason is null ? "" : $" {reason}")}): {message}"),
        };
    }

    private string AccessDenied(string message)
    {
        var permission = PermissionName().Match(message);
        if (!permission.Success)
        {
            return $"BigQuery denied access to {key.ClientEmail} (403): {message}";
        }

        var role = permission.Value switch
        {
            "bigquery.jobs.create" => "; grant it roles/bigquery.jobUser on the project",
            "bigquery.tables.getData" or "bigquery.tables.get" => "; grant it roles/bigquery.dataViewer on the dataset",
            _ => "",
        };
        return $"BigQuery denied access: the service account {key.ClientEmail} lacks the permission {permission.Value}{role} ({message})";
    }

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Snippet(byte[] content)
    {
        var text = OneLine(Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 200)));
        return text.Length == 0 ? "an empty body" : text;
    }

    [GeneratedRegex(@"\bbigquery\.[a-zA-Z]+\.[a-zA-Z]+\b")]
    private static partial Regex PermissionName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Where a job is: <c>jobReference</c> of the jobs.query answer.</summary>
    private sealed record JobReference(string ProjectId, string JobId, string? Location)
    {
        public static JobReference From(JsonElement answer, string projectId, string? location)
        {
            if (!answer.TryGetProperty("jobReference", out var reference) || reference.ValueKind != JsonValueKind.Object
                || !reference.TryGetProperty("jobId", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new BigQueryException("BigQuery answered jobs.query without a jobReference");
            }

            var project = reference.TryGetProperty("projectId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : projectId;
            var where = reference.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : location;
            return new JobReference(project, id.GetString()!, where);
        }
    }

    /// <summary>BigQuery's error body: <c>error.message</c> and the first <c>error.errors[].reason</c>.</summary>
    private static class ErrorBody
    {
        public static bool IsRateOrQuota(string? reason) => reason is "rateLimitExceeded" or "quotaExceeded";

        public static (string? Message, string? Reason) Read(byte[] content)
        {
            try
            {
                using var document = JsonDocument.Parse(content);
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
                {
                    return (null, null);
                }

                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                string? reason = null;
                if (error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    reason = errors.EnumerateArray()
                        .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null)
                        .FirstOrDefault(r => r is not null);
                }

                return (message, reason);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }
    }

    /// <summary>
    /// Decides which failed answers are worth another try (429, 500, 502, 503, 504, and 403 for a rate or quota
    /// limit, which needs the body) and leaves the waiting to Google.Apis' <see cref="BackOffHandler"/>.
    /// </summary>
    private sealed class TransientFailures(BackOffHandler backOff) : IHttpUnsuccessfulResponseHandler
    {
        public async Task<bool> HandleResponseAsync(HandleUnsuccessfulResponseArgs args)
        {
            var status = (int)args.Response.StatusCode;
            var transient = status is 429 or 500 or 502 or 503 or 504;
            if (status == 403)
            {
                // buffered, so that the caller can still read the body of the last answer
                await args.Response.Content.LoadIntoBufferAsync(args.CancellationToken).ConfigureAwait(false);
                transient = ErrorBody.IsRateOrQuota(ErrorBody.Read(await args.Response.Content.ReadAsByteArrayAsync(args.CancellationToken).ConfigureAwait(false)).Reason);
            }

            return transient && await backOff.HandleResponseAsync(args).ConfigureAwait(false);
        }
    }
}
