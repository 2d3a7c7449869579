using System.CommandLine;
using System.Globalization;
using TagOlym.Core.Data.BigQuery;

namespace TagOlym.Cli.Commands;

/// <summary>
/// <c>tagolym elt</c>: runs the extraction query (the anchor's, kept editable in <c>config/elt_query.sql</c>) in
/// BigQuery with a service-account key and writes the labeled posts the other commands read.
/// </summary>
internal static class EltCommand
{
    public const string DefaultKeyPath = "credentials/bigquery-key.json";
    public const string DefaultQueryPath = "config/elt_query.sql";
    public const string DefaultOutputPath = "data/labeled_data.json";

    public static Command Create()
    {
        var defaults = new BigQueryClientOptions();
        var key = new Option<string?>("--key") { Description = $"Service-account key (JSON) (default: {BigQueryKey.EnvironmentVariable}, else {DefaultKeyPath})" };
        var project = new Option<string?>("--project") { Description = "Project the query job runs in and is billed to (default: the key's project_id)" };
        var queryFile = new Option<FileInfo>("--query-file") { Description = "Standard-SQL query returning post_canonical and tags", DefaultValueFactory = _ => new FileInfo(DefaultQueryPath) };
        var output = new Option<FileInfo>("--out") { Description = "Where the labeled posts are written (a JSON array)", DefaultValueFactory = _ => new FileInfo(DefaultOutputPath) };
        var location = new Option<string?>("--location") { Description = "Location of the job (US, EU, a region); default: decided by BigQuery from the tables" };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long the query job may run (hh:mm:ss)", DefaultValueFactory = _ => defaults.Timeout };
        var pageSize = new Option<int>("--page-size") { Description = "Rows per page fetched", DefaultValueFactory = _ => defaults.PageSize };
        var tries = new Option<int>("--tries") { Description = "Tries of each request; 429, 5xx and rate/quota errors are retried with exponential back-off", DefaultValueFactory = _ => defaults.Tries };
        var endpoint = new Option<string>("--endpoint") { Description = "BigQuery REST API root", DefaultValueFactory = _ => BigQueryClientOptions.DefaultEndpoint.ToString() };
        var quiet = CommonOptions.Quiet();
        var command = new Command("elt", "Extract labeled posts from BigQuery into a JSON file")
        {
            key, project, queryFile, output, location, timeout, pageSize, tries, endpoint, quiet,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            if (!Uri.TryCreate(parse.GetValue(endpoint), UriKind.Absolute, out var endpointUri))
            {
                return CliErrors.Usage($"--endpoint must be an absolute http(s) URL, not {parse.GetValue(endpoint)}");
            }

            var options = new BigQueryClientOptions
            {
                Endpoint = endpointUri,
                Location = parse.GetValue(location),
                Timeout = parse.GetValue(timeout),
                PageSize = parse.GetValue(pageSize),
                Tries = parse.GetValue(tries),
            };
            options.Validate();
            var sql = ReadQuery(parse.GetValue(queryFile)!);
            var credentials = BigQueryKey.Load(BigQueryKey.ResolvePath(parse.GetValue(key), DefaultKeyPath));
            var projectId = parse.GetValue(project) ?? credentials.ProjectId;
            if (string.IsNullOrWhiteSpace(projectId))
            {
                return CliErrors.Usage($"the key {credentials.Path} has no project_id: pass --project ID");
            }

            var outputPath = parse.GetValue(output)!.FullName;
            using var client = new BigQueryClient(credentials, projectId, options);
            var progress = parse.GetValue(quiet) ? null : new SynchronousProgress(Report);
            var rows = await BigQueryExport.ToFileAsync(client, sql, outputPath, progress, cancellationToken);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Saved {rows:N0} posts to {Path.GetRelativePath(Environment.CurrentDirectory, outputPath)}"));
            return 0;
        }));
        return command;
    }

    private static string ReadQuery(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"no query file {file.FullName}", file.FullName);
        }

        var sql = File.ReadAllText(file.FullName);
        return string.IsNullOrWhiteSpace(sql) ? throw new InvalidDataException($"the query file {file.FullName} is empty") : sql;
    }

    private static void Report(BigQueryProgress progress)
    {
        var line = progress.JobComplete
            ? progress.TotalRows is { } total and > 0
                ? $"page {progress.Pages:N0}: {progress.Rows:N0} of {total:N0} rows ({100.0 * progress.Rows / total:F1} %)"
                : $"page {progress.Pages:N0}: {progress.Rows:N0} rows"
            : $"query job {progress.JobId} running ({progress.Elapsed.TotalSeconds:F0} s)";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line}"));
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool and could reorder lines).</summary>
    private sealed class SynchronousProgress(Action<BigQueryProgress> report) : IProgress<BigQueryProgress>
    {
        public void Report(BigQueryProgress value) => report(value);
    }
}
