using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Util;
using TagOlym.Core.Data;
using TagOlym.Core.Data.BigQuery;

namespace TagOlym.Core.Tests.Data.BigQuery;

/// <summary>
/// The BigQuery extraction against <see cref="FakeBigQueryServer"/> over real HTTP: the JWT flow, paging, retries,
/// every error a user meets, streaming, and the written file read back by <see cref="PostReader"/>.
/// </summary>
public sealed class BigQueryClientTests : IDisposable
{
    private const string Sql = "SELECT post_canonical, tags FROM `tag-math-olympiad.contest_collections.*`";

    private readonly FakeBigQueryServer server = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), "tagolym-bigquery-tests", Guid.NewGuid().ToString("N"));

    public BigQueryClientTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "data"));
        Directory.CreateDirectory(Path.Combine(root, "credentials"));
    }

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Where the output goes, and nothing else: a test can check that nothing was left behind.</summary>
    private string DataDirectory => Path.Combine(root, "data");

    private string Output => Path.Combine(DataDirectory, "labeled_data.json");

    [Fact]
    public async Task Pages_are_fetched_after_the_job_completes_until_no_page_token_remains()
    {
        var posts = AddPosts(25);
        server.PageCap = 10;
        server.PendingPolls = 2;
        var progress = new List<BigQueryProgress>();

        var rows = await ExportAsync(progress: progress);

        rows.Should().Be(25);
        ReadBack().Should().Equal(posts);
        var api = ApiRequests();
        api.Select(r => r.Method).Should().Equal("POST", "GET", "GET", "GET", "GET", "GET");
        api[1].PathAndQuery.Should().StartWith($"/bigquery/v2/projects/{FakeBigQueryServer.ProjectId}/queries/job_0001?").And.NotContain("pageToken");
        api[2].PathAndQuery.Should().NotContain("pageToken");
        api[3].PathAndQuery.Should().NotContain("pageToken", "the first complete answer of getQueryResults carries the first page");
        api[4].PathAndQuery.Should().Contain("pageToken=page-10").And.Contain("location=US", "the job's location goes with every call");
        api[5].PathAndQuery.Should().Contain("pageToken=page-20", "page 3 is the last: no more requests after it");
        progress.Where(p => !p.JobComplete).Should().HaveCount(3, "jobs.query and two polls answered jobComplete false");
        progress.Where(p => p.JobComplete).Select(p => p.Rows).Should().Equal(10, 20, 25);
        progress.Last().TotalRows.Should().Be(25);
    }

    [Fact]
    public async Task The_query_is_sent_as_standard_sql_with_a_page_size_a_wait_a_job_timeout_and_a_request_id()
    {
        AddPosts(3);

        await ExportAsync(new BigQueryClientOptions { PageSize = 7, PollWait = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromMinutes(2), Location = "EU" });

        var body = JsonNode.Parse(ApiRequests()[0].Body)!.AsObject();
        ((string?)body["query"]).Should().Be(Sql);
        ((bool?)body["useLegacySql"]).Should().BeFalse();
        ((int?)body["maxResults"]).Should().Be(7);
        ((long?)body["timeoutMs"]).Should().Be(3000);
        ((string?)body["jobTimeoutMs"]).Should().Be("120000");
        ((string?)body["location"]).Should().Be("EU");
        Guid.TryParse((string?)body["requestId"], out _).Should().BeTrue();
    }

    [Fact]
    public async Task The_service_account_signs_a_jwt_once_and_every_request_carries_its_access_token()
    {
        AddPosts(30);
        server.PageCap = 10;

        await ExportAsync();

        server.TokensIssued.Should().Be(1);
        var claims = server.AcceptedAssertions.Single();
        ((string?)claims["iss"]).Should().Be(FakeBigQueryServer.ClientEmail);
        ((string?)claims["aud"]).Should().Be(FakeBigQueryServer.GoogleTokenAudience);
        server.Requests.Where(r => r.PathAndQuery == "/token").Should().ContainSingle("the key's token_uri is where the JWT goes");
        ((string?)claims["scope"]).Should().Contain(BigQueryKey.Scope);
        ApiRequests().Should().HaveCount(3).And.OnlyContain(r => r.Authorization == "Bearer ya29.test-token-1");
    }

    [Fact]
    public async Task An_access_token_refused_mid_way_is_renewed_and_the_request_repeated()
    {
        var posts = AddPosts(20);
        server.PageCap = 10;
        server.BeforePage = _ =>
        {
            server.RevokeTokens();
            server.BeforePage = null;
            return Task.CompletedTask;
        };
        // the revocation happens while page 2 is being asked for: that answer is still served, the next request is refused
        server.PageCap = 5;

        var rows = await ExportAsync();

        rows.Should().Be(20);
        ReadBack().Should().Equal(posts);
        server.TokensIssued.Should().Be(2);
        ApiRequests().Should().Contain(r => r.Authorization == "Bearer ya29.test-token-2");
    }

    [Fact]
    public async Task A_key_the_token_endpoint_refuses_is_reported_with_its_reason()
    {
        AddPosts(1);
        server.RefuseTokens = "invalid_grant";

        var error = await FailureAsync();

        error.Should().Contain("refused the key of " + FakeBigQueryServer.ClientEmail).And.Contain("invalid_grant: Invalid JWT Signature.");
        ApiRequests().Should().BeEmpty();
    }

    [Fact]
    public async Task Credentials_bigquery_refuses_are_a_401_message()
    {
        AddPosts(1);
        server.AlwaysFail = (401, "authError", "Request had invalid authentication credentials.");

        var error = await FailureAsync();

        error.Should().StartWith($"BigQuery refused the credentials of {FakeBigQueryServer.ClientEmail} (401): Request had invalid authentication credentials.");
    }

    [Fact]
    public async Task A_missing_permission_is_named_with_the_role_that_grants_it()
    {
        AddPosts(1);
        server.AlwaysFail = (403, "accessDenied", $"Access Denied: Project {FakeBigQueryServer.ProjectId}: User does not have bigquery.jobs.create permission in project {FakeBigQueryServer.ProjectId}.");

        var error = await FailureAsync();

        error.Should().StartWith($"BigQuery denied access: the service account {FakeBigQueryServer.ClientEmail} lacks the permission bigquery.jobs.create; grant it roles/bigquery.jobUser on the project");
        ApiRequests().Should().HaveCount(1, "a denied access is not retried");
    }

    [Fact]
    public async Task A_denial_without_a_permission_name_is_reported_as_bigquery_said_it()
    {
        AddPosts(1);
        server.AlwaysFail = (403, "accessDenied", "Access Denied: Table tag-math-olympiad:contest_collections.hso: User does not have permission to query table.");

        var error = await FailureAsync();

        error.Should().Be($"BigQuery denied access to {FakeBigQueryServer.ClientEmail} (403): Access Denied: Table tag-math-olympiad:contest_collections.hso: User does not have permission to query table.");
    }

    [Fact]
    public async Task A_missing_table_is_a_not_found_message()
    {
        AddPosts(1);
        server.AlwaysFail = (404, "notFound", "Not found: Table tag-math-olympiad:contest_collections.hso was not found in location US");

        var error = await FailureAsync();

        error.Should().StartWith("not found (404): Not found: Table tag-math-olympiad:contest_collections.hso was not found in location US; check the project");
        ApiRequests().Should().HaveCount(1);
    }

    [Theory]
    [InlineData(429, "rateLimitExceeded")]
    [InlineData(403, "rateLimitExceeded")]
    [InlineData(403, "quotaExceeded")]
    [InlineData(500, "backendError")]
    [InlineData(502, "backendError")]
    [InlineData(503, "backendError")]
    [InlineData(504, "backendError")]
    public async Task Transient_failures_are_retried_with_back_off_and_the_extraction_goes_on(int status, string reason)
    {
        var posts = AddPosts(12);
        server.PageCap = 5;
        server.FailNext(status, reason, "try again later", times: 2);

        var rows = await ExportAsync(new BigQueryClientOptions { Tries = 3 });

        rows.Should().Be(12);
        ReadBack().Should().Equal(posts);
        ApiRequests().Should().HaveCount(2 + 3, "two failed tries of jobs.query, then it and two pages");
    }

    [Theory]
    [InlineData(429, "rateLimitExceeded", "BigQuery quota exceeded (429, still after 3 tries): Exceeded rate limits")]
    [InlineData(403, "quotaExceeded", "BigQuery quota exceeded (quotaExceeded, still after 3 tries): Exceeded rate limits")]
    [InlineData(503, "backendError", "BigQuery failed (503, still after 3 tries): Exceeded rate limits")]
    public async Task Failures_that_outlast_the_retries_are_reported_with_the_number_of_tries(int status, string reason, string expected)
    {
        AddPosts(1);
        server.AlwaysFail = (status, reason, "Exceeded rate limits");

        var error = await FailureAsync(new BigQueryClientOptions { Tries = 3 });

        error.Should().Be(expected);
        ApiRequests().Should().HaveCount(3);
    }

    [Fact]
    public async Task A_failed_job_is_reported_with_its_error_message()
    {
        AddPosts(1);
        server.PendingPolls = 1;
        server.JobFailure = ("invalidQuery", "Query error: Division by zero: 1 / 0 at [3:5]");

        var error = await FailureAsync();

        error.Should().Be("the query job failed (invalidQuery): Query error: Division by zero: 1 / 0 at [3:5]");
    }

    [Fact]
    public async Task An_empty_result_is_an_error_and_writes_nothing()
    {
        var error = await FailureAsync();

        error.Should().StartWith("the query returned no rows");
        File.Exists(Output).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(DataDirectory).Should().BeEmpty("the temporary file is removed");
    }

    [Fact]
    public async Task A_failed_extraction_leaves_an_earlier_file_as_it_was()
    {
        File.WriteAllText(Output, "[{\"post_canonical\": \"earlier\", \"tags\": []}]");
        AddPosts(30);
        server.PageCap = 10;
        server.BeforePage = page =>
        {
            if (page == 2)
            {
                // page 2 is still served; the request for page 3 fails
                server.AlwaysFail = (404, "notFound", "Not found: Job tagolym-test:job_0001");
            }

            return Task.CompletedTask;
        };

        await FailureAsync();

        File.ReadAllText(Output).Should().Be("[{\"post_canonical\": \"earlier\", \"tags\": []}]");
        Directory.EnumerateFileSystemEntries(DataDirectory).Should().ContainSingle();
    }

    [Fact]
    public async Task A_job_that_outlasts_the_timeout_is_reported()
    {
        AddPosts(1);
        server.PendingPolls = int.MaxValue;

        var error = await FailureAsync(new BigQueryClientOptions { Timeout = TimeSpan.FromMilliseconds(300), PollWait = TimeSpan.FromMilliseconds(50) });

        error.Should().Be("the query job job_0001 did not finish within 0.3 s (--timeout); BigQuery stops it at that limit");
    }

    [Fact]
    public async Task A_result_without_the_tags_column_is_refused_with_the_columns_it_has()
    {
        server.Fields = [new JsonObject { ["name"] = "post_canonical", ["type"] = "STRING", ["mode"] = "NULLABLE" }];
        server.Rows.Add(new JsonObject { ["f"] = new JsonArray(new JsonObject { ["v"] = "a post" }) });

        var error = await FailureAsync();

        error.Should().Be("the query must return the columns post_canonical and tags; it lacks tags (it returns post_canonical)");
    }

    [Fact]
    public async Task Every_column_is_written_with_its_json_kind_and_labeled_data_reads_back()
    {
        server.Fields =
        [
            new JsonObject { ["name"] = "id", ["type"] = "INTEGER", ["mode"] = "NULLABLE" },
            new JsonObject { ["name"] = "post_canonical", ["type"] = "STRING", ["mode"] = "NULLABLE" },
            new JsonObject { ["name"] = "tags", ["type"] = "STRING", ["mode"] = "REPEATED" },
            new JsonObject { ["name"] = "score", ["type"] = "FLOAT", ["mode"] = "NULLABLE" },
            new JsonObject { ["name"] = "solved", ["type"] = "BOOLEAN", ["mode"] = "NULLABLE" },
            new JsonObject
            {
                ["name"] = "topic", ["type"] = "RECORD", ["mode"] = "NULLABLE",
                ["fields"] = new JsonArray(new JsonObject { ["name"] = "category_name", ["type"] = "STRING", ["mode"] = "NULLABLE" }),
            },
        ];
        var post = "Let $a,b>0$. Prove \\[\\frac{a}{b}+\\frac{b}{a}\\ge 2\\] \"AM-GM\" — ünïcode\nsecond line";
        server.Rows.Add(Row("9007199254740993", post, ["inequality", "algebra"], "0.5", "true", "High School Olympiads"));
        server.Rows.Add(Row(null, "Find all $n$.", [], null, null, null));

        await ExportAsync();

        var written = JsonNode.Parse(File.ReadAllText(Output))!.AsArray();
        written[0]!.ToJsonString().Should().Be(new JsonObject
        {
            ["id"] = 9007199254740993L,
            ["post_canonical"] = post,
            ["tags"] = new JsonArray("inequality", "algebra"),
            ["score"] = 0.5,
            ["solved"] = true,
            ["topic"] = new JsonObject { ["category_name"] = "High School Olympiads" },
        }.ToJsonString());
        written[1]!.ToJsonString().Should().Be("""{"id":null,"post_canonical":"Find all $n$.","tags":[],"score":null,"solved":null,"topic":null}""");
        var records = PostReader.ReadAll(Output).ToList();
        records.Select(r => r.Post).Should().Equal(post, "Find all $n$.");
        records[0].Tags.Should().Equal("inequality", "algebra");
        records[0].Id.ToString().Should().Be("9007199254740993");
    }

    [Fact]
    public async Task Rows_reach_the_output_page_by_page_before_the_next_page_is_fetched()
    {
        AddPosts(30);
        server.PageCap = 10;
        using var output = new MemoryStream();
        var seenBeforePage = new Dictionary<int, string>();
        server.BeforePage = page =>
        {
            seenBeforePage[page] = Encoding.UTF8.GetString(output.ToArray());
            return Task.CompletedTask;
        };
        using var client = Client();

        var rows = await BigQueryExport.WriteAsync(client.QueryAsync(Sql), output);

        rows.Should().Be(30);
        seenBeforePage[2].Should().Contain("post 9").And.NotContain("post 10");
        seenBeforePage[3].Should().Contain("post 19").And.NotContain("post 20");
    }

    [Fact]
    public async Task The_file_has_one_post_per_line_in_a_json_array()
    {
        AddPosts(3);

        await ExportAsync();

        File.ReadAllText(Output).Should().Be(
            "[\n" +
            "{\"post_canonical\":\"post 0: $x^0$\",\"tags\":[\"algebra\"]},\n" +
            "{\"post_canonical\":\"post 1: $x^1$\",\"tags\":[\"geometry\",\"circle\"]},\n" +
            "{\"post_canonical\":\"post 2: $x^2$\",\"tags\":[\"number theory\"]}\n" +
            "]\n");
    }

    private static JsonObject Row(string? id, string post, string[] tags, string? score, string? solved, string? category) => new()
    {
        ["f"] = new JsonArray(
            new JsonObject { ["v"] = id },
            new JsonObject { ["v"] = post },
            new JsonObject { ["v"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["v"] = t }).ToArray()) },
            new JsonObject { ["v"] = score },
            new JsonObject { ["v"] = solved },
            new JsonObject { ["v"] = category is null ? null : new JsonObject { ["f"] = new JsonArray(new JsonObject { ["v"] = category }) } }),
    };

    private List<(string Post, string Tags)> AddPosts(int count)
    {
        string[][] tagSets = [["algebra"], ["geometry", "circle"], ["number theory"]];
        var posts = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var post = $"post {i}: $x^{i}$";
            var tags = tagSets[i % tagSets.Length];
            server.Rows.Add(FakeBigQueryServer.LabeledRow(post, tags));
            posts.Add((post, string.Join('|', tags)));
        }

        return posts;
    }

    private List<(string Post, string Tags)> ReadBack() =>
        PostReader.ReadAll(Output).Select(r => (r.Post!, string.Join('|', r.Tags!))).ToList();

    private List<FakeBigQueryServer.Recorded> ApiRequests() => server.Requests.Where(r => r.PathAndQuery.StartsWith("/bigquery/", StringComparison.Ordinal)).ToList();

    private BigQueryClient Client(BigQueryClientOptions? options = null)
    {
        var key = BigQueryKey.Load(server.WriteKey(Path.Combine(root, "credentials")));
        return new BigQueryClient(key, key.ProjectId!, (options ?? new BigQueryClientOptions()) with { Endpoint = server.Endpoint, BackOff = new QuickBackOff() });
    }

    private async Task<long> ExportAsync(BigQueryClientOptions? options = null, List<BigQueryProgress>? progress = null)
    {
        using var client = Client(options);
        return await BigQueryExport.ToFileAsync(client, Sql, Output, progress is null ? null : new ListProgress(progress));
    }

    private async Task<string> FailureAsync(BigQueryClientOptions? options = null)
    {
        var act = () => ExportAsync(options);
        var error = (await act.Should().ThrowAsync<BigQueryException>()).Which.Message;
        error.Should().NotContain("\n");
        return error;
    }

    /// <summary>The exponential back-off's shape without its seconds: the tests retry at once.</summary>
    private sealed class QuickBackOff : IBackOff
    {
        public int MaxNumOfRetries => 10;

        public TimeSpan GetNextBackOff(int currentRetry) => TimeSpan.FromMilliseconds(currentRetry);
    }

    private sealed class ListProgress(List<BigQueryProgress> list) : IProgress<BigQueryProgress>
    {
        public void Report(BigQueryProgress value) => list.Add(value);
    }
}
