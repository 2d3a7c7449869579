using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using TagOlym.Core.Models;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>A fact that runs only where Debian's prometheus is installed (or fails when TAGOLYM_REQUIRE_PROMETHEUS=1, as in CI).</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public static string? Binary { get; } = new[] { "/usr/bin/prometheus" }.FirstOrDefault(File.Exists);

    public PrometheusFactAttribute()
    {
        if (Binary is null && Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_PROMETHEUS") != "1")
        {
            Skip = "Prometheus is not installed (apt-get install prometheus)";
        }
    }
}

/// <summary><c>GET /metrics</c>: request counts and latencies per endpoint and status, posts scored, the serving version per
/// named model, and per-label suggestion rates next to the training shares; scraped by a real Prometheus.</summary>
public sealed class MetricsTests
{
    private static double Sample(string exposition, string series)
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no sample {series} in:\n{exposition}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_exposition_counts_requests_posts_and_each_labels_suggestion_rate_next_to_its_training_share()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A), new Dictionary<string, string?>
        {
            ["Models:second:Path"] = TestModels.CopyOf(TestModels.B),
        });
        using var client = await factory.ReadyClientAsync();
        var posts = TestModels.Posts.Take(40).ToArray();
        (await client.PredictAsync(posts[..30])).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PredictAsync(posts[30..])).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsync(Url("/models/second/predict"), PredictBody(posts[0]))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsync(Url("/predict"), JsonBody("{}"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var response = await client.GetAsync(Url("/metrics"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var text = await response.Content.ReadAsStringAsync();

        Sample(text, "tagolym_posts_scored_total{model=\"default\"}").Should().Be(40);
        Sample(text, "tagolym_posts_scored_total{model=\"second\"}").Should().Be(1);
        Sample(text, "tagolym_suggestion_window_posts{model=\"default\"}").Should().Be(40);
        Sample(text, "http_requests_received_total{code=\"200\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/predict\"}").Should().Be(2);
        Sample(text, "http_requests_received_total{code=\"400\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/predict\"}").Should().Be(1);
        Sample(text, "http_requests_received_total{code=\"200\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/models/{name}/predict\"}").Should().Be(1);
        Sample(text, "http_request_duration_seconds_count{code=\"200\",method=\"POST\",controller=\"\",action=\"\",endpoint=\"/predict\"}").Should().Be(2);
        text.Should().Contain("http_request_duration_seconds_bucket{");

        var model = TestModels.LoadA();
        var direct = new TagSuggester(model);
        var version = (await (await client.GetAsync(Url("/model"))).ReadJsonAsync())["version"]!.GetValue<string>();
        Sample(text, $"tagolym_model_info{{model=\"default\",name=\"tagolym\",version=\"{version}\"}}").Should().Be(1);
        var train = model.Manifest.Metrics!["train"]!;
        foreach (var label in model.Labels)
        {
            var expectedRate = posts.Count(p => direct.Suggest(p).Tags.Any(t => t.Tag == label)) / 40.0;
            Sample(text, $"tagolym_label_suggestion_rate{{model=\"default\",label=\"{label}\"}}").Should().BeApproximately(expectedRate, 1e-12, label);
            var expectedShare = train["class"]![label]!["num_samples"]!.GetValue<double>() / train["overall"]!["num_samples"]!.GetValue<double>();
            Sample(text, $"tagolym_label_training_share{{model=\"default\",label=\"{label}\"}}").Should().BeApproximately(expectedShare, 1e-12, label);
        }
    }

    [PrometheusFact]
    public async Task A_real_Prometheus_scrapes_the_service_and_answers_a_query_for_its_series()
    {
        await using var factory = new ServiceFactory(TestModels.CopyOf(TestModels.A));
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        using var client = factory.CreateClient();
        await ServiceFactory.WaitReadyAsync(client);
        (await client.PredictAsync(TestModels.Posts.Take(7).ToArray())).StatusCode.Should().Be(HttpStatusCode.OK);

        var directory = TestModels.TemporaryDirectory();
        var port = FreePort();
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: tagolym
                static_configs:
                  - targets: ['127.0.0.1:{client.BaseAddress!.Port}']
            """);
        var start = new ProcessStartInfo(PrometheusFactAttribute.Binary ?? "prometheus")
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var prometheus = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        prometheus.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        prometheus.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            JsonNode? result = null;
            for (var attempt = 0; attempt < 600 && result is null; attempt++)
            {
                prometheus.HasExited.Should().BeFalse(string.Join("\n", log));
                try
                {
                    var answer = await api.GetFromJsonNodeAsync("api/v1/query?query=" + Uri.EscapeDataString("tagolym_posts_scored_total{job=\"tagolym\",model=\"default\"}"));
                    if (answer?["data"]?["result"] is JsonArray { Count: > 0 } series)
                    {
                        result = series[0];
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                if (result is null)
                {
                    await Task.Delay(100);
                }
            }

            result.Should().NotBeNull("Prometheus scraped the service:\n" + string.Join("\n", log));
            result!["metric"]!["instance"]!.GetValue<string>().Should().Be($"127.0.0.1:{client.BaseAddress.Port}");
            double.Parse(result["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture).Should().Be(7);
            var targets = await api.GetFromJsonNodeAsync("api/v1/targets");
            targets!["data"]!["activeTargets"]![0]!["health"]!.GetValue<string>().Should().Be("up");
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class ApiClientExtensions
{
    public static async Task<JsonNode?> GetFromJsonNodeAsync(this HttpClient client, string path) =>
        JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
}
