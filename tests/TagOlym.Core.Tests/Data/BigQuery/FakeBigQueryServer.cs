using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TagOlym.Core.Tests.Data.BigQuery;

/// <summary>
/// BigQuery's REST API v2 (jobs.query, jobs.getQueryResults) and Google's OAuth 2.0 token endpoint, served over
/// real HTTP on 127.0.0.1 in the shapes the BigQuery reference documents: a schema, rows of f/v cells with REPEATED
/// fields as lists of {"v"}, totalRows as a string, jobComplete false while the job runs, pageToken while pages
/// remain, and error bodies {"error": {"code", "message", "errors": [{"reason"}], "status"}}. The token endpoint
/// checks the service account's JWT as Google does (RS256 signature with the test key's public half, iss, aud, scope, a
/// short lifetime).
/// </summary>
public sealed class FakeBigQueryServer : IDisposable
{
    public const string ProjectId = "tagolym-test";
    public const string ClientEmail = "elt@tagolym-test.iam.gserviceaccount.com";
    public const string BigQueryScope = "https://www.googleapis.com/auth/bigquery";

    /// <summary>The audience Google's token endpoint requires in the JWT, wherever the key's token_uri points.</summary>
    public const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    private readonly HttpListener listener = new();
    private readonly Task loop;
    // one key for every server of the test run: generating a 2048-bit key takes a while
    private static readonly RSA SigningKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, bool> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, string Reason, string Message)> injected = new();
    private readonly Dictionary<string, Job> jobs = new(StringComparer.Ordinal);
    private int tokenCount;
    private int jobCount;

    public FakeBigQueryServer()
    {
        var port = FreePort();
        Root = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Root.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
        Fields = LabeledFields();
    }

    public Uri Root { get; }

    /// <summary>The API root to give the client (<c>--endpoint</c>).</summary>
    public Uri Endpoint => new(Root, "bigquery/v2/");

    public Uri TokenUri => new(Root, "token");

    /// <summary>The result's <c>schema.fields</c>.</summary>
    public JsonArray Fields { get; set; }

    /// <summary>The result's rows in f/v form.</summary>
    public List<JsonObject> Rows { get; } = [];

    /// <summary>At most this many rows per page, whatever maxResults asks.</summary>
    public int PageCap { get; set; } = 1000;

    /// <summary>Answers of jobComplete false before a new job completes.</summary>
    public int PendingPolls { get; set; }

    /// <summary>A job that fails once it would complete: getQueryResults answers this error (reason, message).</summary>
    public (string Reason, string Message)? JobFailure { get; set; }

    /// <summary>Every BigQuery API request answers this error (status, reason, message).</summary>
    public (int Status, string Reason, string Message)? AlwaysFail { get; set; }

    /// <summary>The token endpoint refuses every assertion with this OAuth error.</summary>
    public string? RefuseTokens { get; set; }

    /// <summary>Awaited before a page after the first is served (page number, 2-based): lets a test look between pages.</summary>
    public Func<int, Task>? BeforePage { get; set; }

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    /// <summary>JWTs the token endpoint accepted, with their claims.</summary>
    public ConcurrentQueue<JsonObject> AcceptedAssertions { get; } = new();

    public int TokensIssued => tokenCount;

    public sealed record Recorded(string Method, string PathAndQuery, string? Authorization, string Body);

    public static JsonArray LabeledFields() =>
    [
        new JsonObject { ["name"] = "post_canonical", ["type"] = "STRING", ["mode"] = "NULLABLE" },
        new JsonObject { ["name"] = "tags", ["type"] = "STRING", ["mode"] = "REPEATED" },
    ];

    /// <summary>A row of the labeled schema: <c>{"f": [{"v": post}, {"v": [{"v": tag}, ...]}]}</c>.</summary>
    public static JsonObject LabeledRow(string? post, params string[] tags) => new()
    {
        ["f"] = new JsonArray(
            new JsonObject { ["v"] = post },
            new JsonObject { ["v"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["v"] = t }).ToArray()) }),
    };

    /// <summary>The next BigQuery request(s) answer these errors first, in order.</summary>
    public void FailNext(int status, string reason, string message, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            injected.Enqueue((status, reason, message));
        }
    }

    /// <summary>Access tokens issued so far stop working (as if they expired early).</summary>
    public void RevokeTokens()
    {
        foreach (var token in tokens.Keys)
        {
            tokens[token] = false;
        }
    }

    /// <summary>Writes a service-account key file like the ones Google's console downloads, pointing at this token endpoint.</summary>
    public string WriteKey(string directory, bool withProjectId = true)
    {
        var key = new JsonObject
        {
            ["type"] = "service_account",
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = SigningKey.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = ClientEmail,
            ["client_id"] = "100000000000000000001",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = TokenUri.ToString(),
            ["auth_provider_x509_cert_url"] = "https://www.googleapis.com/oauth2/v1/certs",
            ["universe_domain"] = "googleapis.com",
        };
        if (withProjectId)
        {
            key["project_id"] = ProjectId;
        }

        var path = Path.Combine(directory, "bigquery-key.json");
        File.WriteAllText(path, key.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was stopped under a pending accept
        }

    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static JsonObject ErrorBody(int status, string reason, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "global", ["reason"] = reason }),
            ["status"] = status switch
            {
                400 => "INVALID_ARGUMENT",
                401 => "UNAUTHENTICATED",
                403 => "PERMISSION_DENIED",
                404 => "NOT_FOUND",
                429 => "RESOURCE_EXHAUSTED",
                503 => "UNAVAILABLE",
                _ => "INTERNAL",
            },
        },
    };

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        Requests.Enqueue(new Recorded(request.HttpMethod, request.Url!.PathAndQuery, request.Headers["Authorization"], body));
        (int Status, JsonNode Body) answer;
        try
        {
            answer = request.Url.AbsolutePath == "/token" ? Token(body) : await ApiAsync(request, body);
        }
        catch (Exception e)
        {
            answer = (500, ErrorBody(500, "internalError", $"fake server: {e.Message}"));
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(answer.Body.ToJsonString());
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // the client went away
        }
    }

    // ------------------------------------------------------------------ OAuth 2.0 JWT bearer flow

    private (int, JsonNode) Token(string body)
    {
        var form = body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
        if (RefuseTokens is { } refusal)
        {
            return (400, new JsonObject { ["error"] = refusal, ["error_description"] = "Invalid JWT Signature." });
        }

        if (form.GetValueOrDefault("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !form.TryGetValue("assertion", out var assertion))
        {
            return (400, new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "Invalid grant_type." });
        }

        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return (400, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "Invalid JWT." });
        }

        var header = JsonNode.Parse(Base64Url(parts[0]))!.AsObject();
        var claims = JsonNode.Parse(Base64Url(parts[1]))!.AsObject();
        var signed = SigningKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var problem = !signed ? "Invalid JWT Signature."
            : (string?)header["alg"] != "RS256" ? "Invalid JWT: alg is not RS256."
            : (string?)claims["iss"] != ClientEmail ? "Invalid JWT: iss is not the service account."
            : (string?)claims["aud"] != GoogleTokenAudience ? $"Invalid JWT: aud {claims["aud"]} is not {GoogleTokenAudience}."
            : !((string?)claims["scope"] ?? "").Split(' ').Contains(BigQueryScope) ? "Invalid JWT: scope lacks BigQuery."
            : !((long?)claims["exp"] > now && (long?)claims["iat"] <= now + 60) ? "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe."
            : null;
        if (problem is not null)
        {
            return (400, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = problem });
        }

        AcceptedAssertions.Enqueue(claims);
        var token = $"ya29.test-token-{Interlocked.Increment(ref tokenCount)}";
        tokens[token] = true;
        return (200, new JsonObject { ["access_token"] = token, ["expires_in"] = 3599, ["token_type"] = "Bearer" });
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    // ------------------------------------------------------------------ BigQuery REST API v2

    private async Task<(int, JsonNode)> ApiAsync(HttpListenerRequest request, string body)
    {
        var authorization = request.Headers["Authorization"];
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.GetValueOrDefault(authorization["Bearer ".Length..]))
        {
            return (401, ErrorBody(401, "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."));
        }

        if (injected.TryDequeue(out var failure))
        {
            return (failure.Status, ErrorBody(failure.Status, failure.Reason, failure.Message));
        }

        if (AlwaysFail is { } always)
        {
            return (always.Status, ErrorBody(always.Status, always.Reason, always.Message));
        }

        var segments = request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // bigquery / v2 / projects / {project} / queries [/ {jobId}]
        if (segments.Length < 5 || segments[0] != "bigquery" || segments[1] != "v2" || segments[2] != "projects" || segments[4] != "queries")
        {
            return (404, ErrorBody(404, "notFound", $"Not found: {request.Url.AbsolutePath}"));
        }

        var project = Uri.UnescapeDataString(segments[3]);
        if (request.HttpMethod == "POST" && segments.Length == 5)
        {
            return StartQuery(project, JsonNode.Parse(body)!.AsObject());
        }

        if (request.HttpMethod == "GET" && segments.Length == 6 && jobs.TryGetValue(Uri.UnescapeDataString(segments[5]), out var job))
        {
            var query = request.QueryString;
            var wait = int.TryParse(query["timeoutMs"], out var ms) ? ms : 10_000;
            return await ResultsAsync(job, query["pageToken"], int.TryParse(query["maxResults"], out var max) ? max : PageCap, wait);
        }

        return (404, ErrorBody(404, "notFound", $"Not found: Job {project}:{(segments.Length > 5 ? segments[5] : "")}"));
    }

    private (int, JsonNode) StartQuery(string project, JsonObject body)
    {
        if ((bool?)body["useLegacySql"] != false)
        {
            return (400, ErrorBody(400, "invalidQuery", "this fake only runs standard SQL: send useLegacySql false"));
        }

        var job = new Job($"job_{Interlocked.Increment(ref jobCount):D4}", project, PendingPolls);
        lock (jobs)
        {
            jobs[job.Id] = job;
        }

        if (job.PendingPolls > 0)
        {
            return (200, new JsonObject { ["kind"] = "bigquery#queryResponse", ["jobReference"] = Reference(job), ["jobComplete"] = false });
        }

        var (status, page) = Page(job, 0, (int?)body["maxResults"] ?? PageCap);
        if (page is JsonObject o)
        {
            o["kind"] = "bigquery#queryResponse";
        }

        return (status, page);
    }

    private async Task<(int, JsonNode)> ResultsAsync(Job job, string? pageToken, int maxResults, int timeoutMs)
    {
        if (job.PendingPolls > 0)
        {
            job.PendingPolls--;
            // the server holds the call a little, as BigQuery waits up to timeoutMs for the job
            await Task.Delay(Math.Min(timeoutMs, 50));
            return (200, new JsonObject { ["kind"] = "bigquery#getQueryResultsResponse", ["etag"] = "\"e\"", ["jobReference"] = Reference(job), ["jobComplete"] = false });
        }

        if (JobFailure is { } failed)
        {
            return (400, ErrorBody(400, failed.Reason, failed.Message));
        }

        var start = pageToken is null ? 0 : int.Parse(pageToken.AsSpan("page-".Length), provider: System.Globalization.CultureInfo.InvariantCulture);
        var number = (start / Math.Max(1, Math.Min(maxResults, PageCap))) + 1;
        if (number > 1 && BeforePage is { } gate)
        {
            await gate(number);
        }

        return Page(job, start, maxResults);
    }

    private (int, JsonNode) Page(Job job, int start, int maxResults)
    {
        if (JobFailure is { } failed)
        {
            return (400, ErrorBody(400, failed.Reason, failed.Message));
        }

        var size = Math.Min(maxResults, PageCap);
        var rows = Rows.Skip(start).Take(size).Select(r => r.DeepClone()).ToArray();
        var page = new JsonObject
        {
            ["kind"] = "bigquery#getQueryResultsResponse",
            ["etag"] = "\"e\"",
            ["schema"] = new JsonObject { ["fields"] = Fields.DeepClone() },
            ["jobReference"] = Reference(job),
            ["totalRows"] = Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (start + size < Rows.Count)
        {
            page["pageToken"] = $"page-{start + size}";
        }

        // BigQuery leaves rows out of a page that has none
        if (rows.Length > 0)
        {
            page["rows"] = new JsonArray(rows);
        }

        page["totalBytesProcessed"] = "123456";
        page["jobComplete"] = true;
        page["cacheHit"] = false;
        return (200, page);
    }

    private static JsonObject Reference(Job job) => new() { ["projectId"] = job.Project, ["jobId"] = job.Id, ["location"] = "US" };

    private sealed class Job(string id, string project, int pendingPolls)
    {
        public string Id { get; } = id;

        public string Project { get; } = project;

        public int PendingPolls { get; set; } = pendingPolls;
    }
}
