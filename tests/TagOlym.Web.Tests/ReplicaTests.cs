using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Tracking;
using TagOlym.Core.Training;
using TagOlym.Web.Tests.Support;
using static TagOlym.Web.Tests.Support.Http;

namespace TagOlym.Web.Tests;

/// <summary>A fact that runs only where Debian's nginx is installed (or fails when TAGOLYM_REQUIRE_NGINX=1, as in CI).</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public static string? Binary { get; } = new[] { "/usr/sbin/nginx" }.FirstOrDefault(File.Exists);

    public NginxFactAttribute()
    {
        if (Binary is null && Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_NGINX") != "1")
        {
            Skip = "nginx is not installed (apt-get install nginx)";
        }
    }
}

/// <summary>
/// Scaling out: two service processes behind nginx, both following <c>models:/tagolym@champion</c> on a real MLflow
/// 2.9.2 server; a new version promoted while requests flow reaches both replicas, and no request fails.
/// </summary>
public sealed class ReplicaTests
{
    [NginxFact]
    public async Task Two_replicas_behind_nginx_both_switch_to_a_newly_promoted_champion_with_no_failed_request()
    {
        var directory = TestModels.TemporaryDirectory();
        var mlflowData = Path.Combine(directory, "mlflow");
        var mlflowPort = FreePort();
        await RunAsync("bash", [SharedData.Path("tools", "mlflow", "start-mlflow.sh"), mlflowData], new() { ["PORT"] = mlflowPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var replicas = new List<ServiceProcess>();
        Process? nginx = null;
        try
        {
            var trackingUri = $"http://127.0.0.1:{mlflowPort}";
            using var store = TrackingStores.Open(trackingUri, _ => null);
            await RegisterAsync(store, TestModels.ResultA, promote: true);

            for (var i = 0; i < 2; i++)
            {
                replicas.Add(await ServiceProcess.StartAsync(new Dictionary<string, string>
                {
                    ["Tracking__Uri"] = trackingUri,
                    ["Tracking__CacheDirectory"] = Path.Combine(directory, $"cache-{i}"),
                    ["Model__Path"] = "models:/tagolym@champion",
                    ["Model__PollInterval"] = "00:00:00.250",
                    ["Model__Bootstrap__Enabled"] = "false",
                    ["Feedback__ConnectionString"] = $"Data Source={Path.Combine(directory, $"feedback-{i}.db")}",
                    ["Access__PathBase"] = "/tagolym",
                }));
            }

            foreach (var replica in replicas)
            {
                using var direct = new HttpClient { BaseAddress = new Uri(replica.Address, "/tagolym/") };
                await ServiceFactory.WaitReadyAsync(direct);
            }

            var port = FreePort();
            nginx = StartNginx(directory, port, replicas.Select(r => r.Address.Port).ToArray());
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/tagolym/") };
            await WaitForAsync(async () =>
            {
                if (nginx.HasExited)
                {
                    var log = Path.Combine(directory, "nginx", "error.log");
                    throw new InvalidOperationException("nginx stopped: " + (File.Exists(log) ? File.ReadAllText(log) : nginx.StandardError.ReadToEnd()));
                }

                try
                {
                    return (await client.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // nginx is not listening yet
                }
            });

            var answers = new ConcurrentQueue<(HttpStatusCode Status, string Upstream, string? Version)>();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var post = TestModels.Posts[0];
            var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var response = await client.PostAsync(new Uri("predict", UriKind.Relative), PredictBody(post));
                    var upstream = response.Headers.TryGetValues("X-Upstream", out var values) ? values.Single() : "";
                    string? version = null;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        version = (await response.ReadJsonAsync())["model"]!["version"]!.GetValue<string>();
                    }

                    answers.Enqueue((response.StatusCode, upstream, version));
                }
            })).ToArray();

            await WaitForAsync(() => Task.FromResult(answers.Count(a => a.Version == "1") >= 100));
            var promoted = await RegisterAsync(store, TestModels.ResultB, promote: true);
            promoted.Should().Be("2");
            await WaitForAsync(() => Task.FromResult(answers.Where(a => a.Version == "2").Select(a => a.Upstream).Distinct().Count() == 2
                && answers.Count(a => a.Version == "2") >= 200));
            await stop.CancelAsync();
            await Task.WhenAll(load);

            answers.Should().OnlyContain(a => a.Status == HttpStatusCode.OK, "no request fails while the champion changes");
            var upstreams = replicas.Select(r => $"127.0.0.1:{r.Address.Port}").ToArray();
            answers.Select(a => a.Upstream).Distinct().Should().BeEquivalentTo(upstreams, "nginx spread the requests over both replicas");
            foreach (var upstream in upstreams)
            {
                var versions = answers.Where(a => a.Upstream == upstream).Select(a => a.Version!).ToArray();
                versions.Should().Contain("1").And.Contain("2", $"replica {upstream} switched");
                versions.TakeLast(20).Should().OnlyContain(v => v == "2", $"replica {upstream} stays on the new champion");
            }
        }
        finally
        {
            if (nginx is not null)
            {
                nginx.Kill(entireProcessTree: true);
                await nginx.WaitForExitAsync();
                nginx.Dispose();
            }

            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            await RunAsync("bash", [SharedData.Path("tools", "mlflow", "stop-mlflow.sh"), mlflowData], []);
        }
    }

    /// <summary>Logs a training as a run, registers it and points champion at it, as <c>tagolym train --register</c> and <c>models promote</c> do.</summary>
    private static async Task<string> RegisterAsync(ITrackingStore store, TrainingResult result, bool promote)
    {
        var run = await TrainingRuns.StartAsync(store, TrainingRuns.DefaultExperiment, "replica-test", "tests");
        await TrainingRuns.LogTrainingAsync(store, run.RunId, result.Model, result.Metrics);
        await store.UpdateRunAsync(run.RunId, RunStatus.Finished, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var version = await TrainingRuns.RegisterAsync(store, run.RunId, TestRegistry.ModelName);
        if (promote)
        {
            await TrainingRuns.PromoteAsync(store, TestRegistry.ModelName, version.Version);
        }

        return version.Version;
    }

    private static Process StartNginx(string directory, int port, int[] replicaPorts)
    {
        var root = Path.Combine(directory, "nginx");
        Directory.CreateDirectory(root);
        var config = Path.Combine(root, "nginx.conf");
        File.WriteAllText(config, $$"""
            daemon off;
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{root}}/body;
              proxy_temp_path {{root}}/proxy;
              fastcgi_temp_path {{root}}/fastcgi;
              uwsgi_temp_path {{root}}/uwsgi;
              scgi_temp_path {{root}}/scgi;
              upstream tagolym {
                {{string.Join("\n    ", replicaPorts.Select(p => $"server 127.0.0.1:{p} max_fails=0;"))}}
                keepalive 16;
              }
              server {
                listen 127.0.0.1:{{port}};
                location /tagolym/ {
                  proxy_pass http://tagolym;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header X-Forwarded-Prefix /tagolym;
                  add_header X-Upstream $upstream_addr always;
                }
              }
            }
            """);
        var start = new ProcessStartInfo(NginxFactAttribute.Binary ?? "nginx")
        {
            ArgumentList = { "-p", root, "-c", config, "-e", Path.Combine(root, "error.log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        return Process.Start(start)!;
    }

    private static async Task RunAsync(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"{file} {string.Join(' ', arguments)}:\n{await output}\n{await error}");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the condition did not come true in 2 minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
