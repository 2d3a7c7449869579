using System.Text.Json.Nodes;
using TagOlym.Core.Data;
using TagOlym.Core.Tests.Data.BigQuery;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Cli.Tests;

/// <summary>
/// <c>tagolym elt</c> run as a process against a loopback BigQuery and token endpoint: what it prints and writes,
/// and the one line and non-zero exit of every error a user meets.
/// </summary>
public sealed class EltCommandTests : IDisposable
{
    private readonly FakeBigQueryServer server = new();
    private readonly string directory = CliRunner.TemporaryDirectory();

    public EltCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(directory, "config"));
        File.Copy(SharedData.RepositoryPath("config", "elt_query.sql"), Path.Combine(directory, "config", "elt_query.sql"));
        Directory.CreateDirectory(Path.Combine(directory, "credentials"));
        server.WriteKey(Path.Combine(directory, "credentials"));
    }

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string Output => Path.Combine(directory, "data", "labeled_data.json");

    [Fact]
    public void With_the_defaults_it_runs_the_anchors_query_pages_through_the_result_and_says_where_it_saved_it()
    {
        AddPosts(25);
        server.PageCap = 10;
        server.PendingPolls = 1;

        var run = Elt();

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Be("Saved 25 posts to data/labeled_data.json" + Environment.NewLine);
        var progress = run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        progress.Take(2).Should().AllSatisfy(line => line.Should().MatchRegex(@"^query job job_0001 running \(\d+ s\)$"), "jobs.query and one poll answer jobComplete false");
        progress.Skip(2).Should().Equal(
            "page 1: 10 of 25 rows (40.0 %)",
            "page 2: 20 of 25 rows (80.0 %)",
            "page 3: 25 of 25 rows (100.0 %)");
        var sql = (string?)JsonNode.Parse(server.Requests.First(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/bigquery/", StringComparison.Ordinal)).Body)!["query"];
        sql.Should().Be(File.ReadAllText(SharedData.RepositoryPath("config", "elt_query.sql")));
        sql.Should().Contain("`tag-math-olympiad.contest_collections.*`").And.Contain("category_name = \"High School Olympiads\"").And.Contain("ARRAY_LENGTH(tags) > 0");
        var records = PostReader.ReadAll(Output).ToList();
        records.Should().HaveCount(25);
        records[23].Post.Should().Be("post 23");
        records[23].Tags.Should().Equal("combinatorics", "geometry");
    }

    [Fact]
    public void Key_project_query_and_output_can_be_given_and_the_key_can_come_from_the_environment()
    {
        AddPosts(2);
        var keys = Path.Combine(directory, "elsewhere");
        Directory.CreateDirectory(keys);
        var key = server.WriteKey(keys, withProjectId: false);
        var query = Path.Combine(directory, "my-query.sql");
        File.WriteAllText(query, "SELECT post_canonical, tags FROM `p.d.t`");

        var run = Elt(new Dictionary<string, string?> { ["GOOGLE_APPLICATION_CREDENTIALS"] = key },
            "--project", "billing-project", "--query-file", query, "--out", "out/posts.json", "--quiet");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Be("Saved 2 posts to out/posts.json" + Environment.NewLine);
        run.Stderr.Should().BeEmpty("--quiet shows no progress");
        server.Requests.Should().Contain(r => r.PathAndQuery == "/bigquery/v2/projects/billing-project/queries");
        PostReader.ReadAll(Path.Combine(directory, "out", "posts.json")).Should().HaveCount(2);
    }

    [Fact]
    public void A_missing_key_says_how_to_give_one() =>
        Refused(Elt("--key", "credentials/none.json"), "tagolym: the service-account key credentials/none.json does not exist: pass --key FILE or set GOOGLE_APPLICATION_CREDENTIALS");

    [Fact]
    public void A_malformed_key_is_refused()
    {
        File.WriteAllText(Path.Combine(directory, "credentials", "bigquery-key.json"), "{\"type\": \"service_account\"");
        Refused(Elt(), "tagolym: the service-account key credentials/bigquery-key.json is not valid JSON");
    }

    [Fact]
    public void A_key_without_project_id_needs_the_project_option()
    {
        server.WriteKey(Path.Combine(directory, "credentials"), withProjectId: false);
        Refused(Elt(), "tagolym: the key credentials/bigquery-key.json has no project_id: pass --project ID", exitCode: 2);
    }

    [Fact]
    public void Refused_credentials_are_reported()
    {
        server.RefuseTokens = "invalid_grant";
        Refused(Elt(), "tagolym: the token endpoint " + server.TokenUri + " refused the key of " + FakeBigQueryServer.ClientEmail);
    }

    [Fact]
    public void A_401_is_reported()
    {
        server.AlwaysFail = (401, "authError", "Request had invalid authentication credentials.");
        Refused(Elt(), $"tagolym: BigQuery refused the credentials of {FakeBigQueryServer.ClientEmail} (401): Request had invalid authentication credentials.");
    }

    [Fact]
    public void A_missing_permission_is_named()
    {
        server.AlwaysFail = (403, "accessDenied", "Access Denied: Project tagolym-test: User does not have bigquery.jobs.create permission in project tagolym-test.");
        Refused(Elt(), $"tagolym: BigQuery denied access: the service account {FakeBigQueryServer.ClientEmail} lacks the permission bigquery.jobs.create; grant it roles/bigquery.jobUser on the project");
    }

    [Fact]
    public void A_missing_table_is_reported() =>
        RefusedWhen((404, "notFound", "Not found: Dataset tag-math-olympiad:contest_collections was not found in location US"),
            "tagolym: not found (404): Not found: Dataset tag-math-olympiad:contest_collections was not found in location US");

    [Fact]
    public void Quota_errors_are_retried_then_reported() =>
        RefusedWhen((429, "rateLimitExceeded", "Exceeded rate limits: too many api requests per user per method for this user_method."),
            "tagolym: BigQuery quota exceeded (429, still after 2 tries): Exceeded rate limits", "--tries", "2");

    [Fact]
    public void Server_errors_are_retried_then_reported() =>
        RefusedWhen((500, "backendError", "Backend error."), "tagolym: BigQuery failed (500, still after 2 tries): Backend error.", "--tries", "2");

    [Fact]
    public void A_failed_job_gives_its_error()
    {
        server.PendingPolls = 1;
        server.JobFailure = ("invalidQuery", "Unrecognized name: category at [9:3]");
        AddPosts(1);
        Refused(Elt(), "tagolym: the query job failed (invalidQuery): Unrecognized name: category at [9:3]");
    }

    [Fact]
    public void An_empty_result_is_an_error() =>
        Refused(Elt(), "tagolym: the query returned no rows: nothing was written");

    [Fact]
    public void A_missing_query_file_is_an_error() =>
        Refused(Elt("--query-file", "config/none.sql"), "tagolym: cannot read " + Path.Combine(directory, "config", "none.sql"));

    [Fact]
    public void Settings_that_cannot_work_are_refused() =>
        Refused(Elt("--page-size", "0"), "tagolym: the page size must be at least 1, not 0");

    private void RefusedWhen((int Status, string Reason, string Message) failure, string expected, params string[] args)
    {
        AddPosts(1);
        server.AlwaysFail = failure;
        Refused(Elt(args), expected);
    }

    private void Refused(CliRunner.Result run, string expectedStart, int exitCode = 1)
    {
        run.ExitCode.Should().Be(exitCode, run.Stderr);
        run.Stdout.Should().BeEmpty();
        var lines = run.Stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Where(l => !IsProgress(l)).ToList();
        lines.Should().ContainSingle().Which.Should().StartWith(expectedStart);
        run.Stderr.Should().NotContain("Exception").And.NotContain("   at ");
        var data = Path.Combine(directory, "data");
        (Directory.Exists(data) ? Directory.GetFileSystemEntries(data) : []).Should().BeEmpty("nothing is written, not even a temporary file");
    }

    private static bool IsProgress(string line) =>
        line.StartsWith("query job ", StringComparison.Ordinal) || line.StartsWith("page ", StringComparison.Ordinal);

    private CliRunner.Result Elt(params string[] args) => Elt(null, args);

    private CliRunner.Result Elt(IDictionary<string, string?>? environment, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["GOOGLE_APPLICATION_CREDENTIALS"] = "" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            env[name] = value;
        }

        return CliRunner.RunIn(directory, env, null, ["elt", "--endpoint", server.Endpoint.ToString(), .. args]);
    }

    private void AddPosts(int count)
    {
        string[][] tagSets = [["algebra"], ["number theory", "modular arithmetic"], ["combinatorics", "geometry"]];
        for (var i = 0; i < count; i++)
        {
            server.Rows.Add(FakeBigQueryServer.LabeledRow($"post {i}", tagSets[i % tagSets.Length]));
        }
    }
}
