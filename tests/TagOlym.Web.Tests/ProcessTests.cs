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
public sealed class ProcessTests
{
    private const string AdminKey = "process-test-key-5d1e";

    [Fact]
    public async Task In_production_a_start_without_a_model_is_not_ready_says_why_and_serves_the_model_that_appears()
    {
        var modelPath = Path.Combine(TestModels.TemporaryDirectory(), "tagolym.model");
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Model__Path"] = modelPath,
            ["Model__PollInterval"] = "00:00:00.200",
            ["Admin__ApiKey"] = AdminKey,
        });
        var lines = service.Lines;
        try
        {
            using var client = new HttpClient { BaseAddress = service.Address };
            await WaitForAsync(() => lines.Any(l => l.Contains("does not train one", StringComparison.Ordinal)), lines);
            (await client.GetAsync(Url("/health/ready"))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            File.Exists(modelPath).Should().BeFalse("a Production replica never trains");

            // a train job delivers a model: the replica picks it up by itself
            TestModels.Replace(modelPath, TestModels.A);
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
        }
        finally
        {
            await service.StopAsync();
        }

        var events = lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToArray();
        events.Should().NotBeEmpty();
        lines.Where(l => l.Length > 0).Should().OnlyContain(l => l.StartsWith('{'), "every line is a JSON event in Production");
        events.Should().OnlyContain(e => e["@t"] != null && e["@mt"] != null);
        var why = events.Single(e => e["@mt"]!.GetValue<string>().Contains("does not train one", StringComparison.Ordinal));
        why["@l"]!.GetValue<string>().Should().Be("Warning");
        why["Reason"]!.GetValue<string>().Should().Contain("Production environment never trains");
        why["@mt"]!.GetValue<string>().Should().Contain("tagolym train --register");
        var requestLines = events.Where(e => e["@mt"]!.GetValue<string>() == "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms").ToList();
        var request = requestLines.Single(e => e["RequestPath"]!.GetValue<string>() == "/predict");
        request["RequestMethod"]!.GetValue<string>().Should().Be("POST");
        request["StatusCode"]!.GetValue<int>().Should().Be(200);
        request["Posts"]!.GetValue<int>().Should().Be(1);
        request["ModelVersion"]!.GetValue<string>().Should().MatchRegex(@"^\d{8}\.\d{6}-[0-9a-f]{8}$");
        request["Elapsed"]!.GetValue<double>().Should().BePositive();
        var reloadLine = requestLines.Single(e => e["RequestPath"]!.GetValue<string>() == "/admin/reload");
        reloadLine.AsObject().Should().NotContainKey("Posts", "a request that carries no posts says nothing about them");
        requestLines.Should().NotContain(e => e["RequestPath"]!.GetValue<string>().StartsWith("/health"),
            "the readiness polls are logged at Debug, below the production level");
        lines.Should().NotContain(l => l.Contains("null", StringComparison.Ordinal), "no line carries an unknown value as null");
        lines.Should().NotContain(l => l.Contains("plover") || l.Contains(AdminKey));
    }

    [Fact]
    public async Task Two_development_processes_starting_together_on_an_empty_store_register_one_champion_and_both_serve_it()
    {
        var storeDirectory = Path.Combine(TestModels.TemporaryDirectory(), "mlruns");
        var environment = new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = storeDirectory,
            ["Model__Bootstrap__Data"] = TestModels.SmallSample,
        };
        var started = await Task.WhenAll(
            ServiceProcess.StartAsync(environment, "Development"),
            ServiceProcess.StartAsync(environment, "Development"));
        await using var first = started[0];
        await using var second = started[1];
        var served = new List<string>();
        foreach (var service in started)
        {
            using var client = new HttpClient { BaseAddress = service.Address };
            await ServiceFactory.WaitReadyAsync(client);
            var info = await (await client.GetAsync(Url("/model"))).ReadJsonAsync();
            info["source"]!.GetValue<string>().Should().Be("models:/tagolym@champion");
            served.Add(info["version"]!.GetValue<string>());
        }

        using var store = new TagOlym.Core.Tracking.FileTrackingStore(storeDirectory);
        (await store.SearchModelVersionsAsync("tagolym")).Should().ContainSingle("one process trained, the other waited and found its model");
        served.Should().Equal("1", "1");
        (await store.GetModelVersionByAliasAsync("tagolym", "champion")).Version.Should().Be("1");
        started.Count(s => s.Lines.Any(l => l.Contains("promoted it to champion", StringComparison.Ordinal))).Should().Be(1);
    }

    private static async Task WaitForAsync(Func<bool> condition, IEnumerable<string> lines)
    {
        for (var attempt = 0; attempt < 600 && !condition(); attempt++)
        {
            await Task.Delay(100);
        }

        condition().Should().BeTrue("the service should have logged it by now:\n" + string.Join("\n", lines));
    }
}

/// <summary>The built service started as its own process (Production unless told) on a free loopback port, its output collected.</summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServiceProcess(Process process, ConcurrentQueue<string> lines, Uri address)
    {
        this.process = process;
        Lines = lines;
        Address = address;
    }

    /// <summary>Every line the service wrote to stdout and stderr, in order.</summary>
    public ConcurrentQueue<string> Lines { get; }

    public Uri Address { get; }

    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string environmentName = "Production")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TagOlym.Web.dll"), "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["BaseDirectory"] = SharedData.RepositoryPath();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var lines = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // the port is the one Kestrel picked: read it from the start-up line
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (lines.Select(l => ListeningOn().Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                return new ServiceProcess(process, lines, new Uri(match.Groups[1].Value));
            }

            process.HasExited.Should().BeFalse(string.Join("\n", lines));
            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the service did not say where it listens:\n" + string.Join("\n", lines));
    }

    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }

    [GeneratedRegex("(?:Now listening on: |\"address\":\")(http://127\\.0\\.0\\.1:\\d+)")]
    private static partial Regex ListeningOn();
}
