using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TagOlym.Core.Tests.Support;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>The service as its own process, the way it is deployed: Production settings, compact JSON logs on stdout.</summary>
public sealed partial class ProcessTests
{
    private const string AdminKey = "process-test-key-5d1e";

    [Fact]
    public async Task In_production_a_fresh_start_trains_from_the_sample_and_logs_one_json_line_per_request_without_posts_or_keys()
    {
        var modelPath = Path.Combine(TestModels.TemporaryDirectory(), "tagolym.model");
        var lines = new ConcurrentQueue<string>();
        var dll = Path.Combine(AppContext.BaseDirectory, "TagOlym.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Model__Path"] = modelPath;
        start.Environment["Admin__ApiKey"] = AdminKey;
        start.Environment["BaseDirectory"] = SharedData.RepositoryPath();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri? address = null;
            for (var attempt = 0; attempt < 600 && address is null; attempt++)
            {
                address = lines.Select(l => ListeningOn().Match(l)).FirstOrDefault(m => m.Success) is { } m ? new Uri(m.Groups[1].Value) : null;
                if (address is null)
                {
                    process.HasExited.Should().BeFalse(string.Join("\n", lines));
                    await Task.Delay(100);
                }
            }

            address.Should().NotBeNull(string.Join("\n", lines));
            using var client = new HttpClient { BaseAddress = address };
            await ServiceFactory.WaitReadyAsync(client);
            using (var response = await client.PredictAsync("Secretive plover: evaluate $\\lim_{x\\to 0} \\frac{\\sin x}{x}$."))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
            }

            using (var reload = new HttpRequestMessage(HttpMethod.Post, Url("/admin/reload")))
            {
                reload.Headers.Add("X-Api-Key", AdminKey);
                (await client.SendAsync(reload)).StatusCode.Should().Be(HttpStatusCode.OK);
            }

            File.Exists(modelPath).Should().BeTrue("the first model is trained from data/mse-sample.jsonl.gz and saved");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var events = lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToArray();
        events.Should().NotBeEmpty();
        lines.Where(l => l.Length > 0).Should().OnlyContain(l => l.StartsWith('{'), "every line is a JSON event in Production");
        events.Should().OnlyContain(e => e["@t"] != null && e["@mt"] != null);
        events.Should().Contain(e => e["@l"] != null && e["@l"]!.GetValue<string>() == "Warning" && e["@m"]!.GetValue<string>().Contains("training a first model"));
        var request = events.Single(e => e["Path"] != null && e["Path"]!.GetValue<string>() == "/predict");
        request["Method"]!.GetValue<string>().Should().Be("POST");
        request["StatusCode"]!.GetValue<int>().Should().Be(200);
        request["Posts"]!.GetValue<int>().Should().Be(1);
        request["ModelVersion"]!.GetValue<string>().Should().MatchRegex(@"^\d{8}\.\d{6}-[0-9a-f]{8}$");
        request["ElapsedMs"]!.GetValue<double>().Should().BePositive();
        lines.Should().NotContain(l => l.Contains("plover") || l.Contains(AdminKey));
    }

    [Fact]
    public async Task With_the_shipped_configuration_and_MLFLOW_TRACKING_URI_a_fresh_start_registers_a_champion_in_that_store_and_serves_it()
    {
        var storeDirectory = Path.Combine(TestModels.TemporaryDirectory(), "mlruns");
        var lines = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TagOlym.Web.dll"), "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MLFLOW_TRACKING_URI"] = storeDirectory;
        start.Environment["BaseDirectory"] = SharedData.RepositoryPath();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri? address = null;
            for (var attempt = 0; attempt < 600 && address is null; attempt++)
            {
                address = lines.Select(l => ListeningOn().Match(l)).FirstOrDefault(m => m.Success) is { } m ? new Uri(m.Groups[1].Value) : null;
                if (address is null)
                {
                    process.HasExited.Should().BeFalse(string.Join("\n", lines));
                    await Task.Delay(100);
                }
            }

            address.Should().NotBeNull(string.Join("\n", lines));
            using var client = new HttpClient { BaseAddress = address };
            await ServiceFactory.WaitReadyAsync(client);
            var info = await (await client.GetAsync(Url("/model"))).ReadJsonAsync();
            info["source"]!.GetValue<string>().Should().Be("models:/tagolym@champion");
            info["version"]!.GetValue<string>().Should().Be("1");

            using var store = new TagOlym.Core.Tracking.FileTrackingStore(storeDirectory);
            var champion = await store.GetModelVersionByAliasAsync("tagolym", "champion");
            info["runId"]!.GetValue<string>().Should().Be(champion.RunId);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lines.Should().Contain(l => l.Contains("promoted it to champion"));
    }

    [GeneratedRegex("Now listening on: (http://127\\.0\\.0\\.1:\\d+)")]
    private static partial Regex ListeningOn();
}
