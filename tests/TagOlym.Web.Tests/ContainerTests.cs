using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TagOlym.Core.Tests.Support;
using TagOlym.Web.Tests.Support;

namespace TagOlym.Web.Tests;

/// <summary>
/// A fact that runs only where podman can build the Dockerfile: <c>podman</c> on the path and the stand-ins for
/// the .NET base images set up by <c>../shared/tools/container-bases.sh</c> (its <c>CONTAINERS_CONF</c> exported).
/// <c>.ci/run</c> sets both up and sets <c>TAGOLYM_REQUIRE_CONTAINER=1</c>, so in CI it never skips.
/// </summary>
public sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute([CallerMemberName] string test = "")
    {
        var podman = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Any(dir => File.Exists(Path.Combine(dir, "podman")));
        var required = Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_CONTAINER") == "1";
        if (!required && (!podman || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CONTAINERS_CONF"))))
        {
            SkipReason.Apply(this, "podman with the .NET base images is not set up (run ../shared/tools/container-bases.sh and export CONTAINERS_CONF)", test);
        }
    }
}

/// <summary>The real Dockerfile, built unchanged and run as a container, answering over HTTP.</summary>
public sealed class ContainerTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    [ContainerFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_image_builds_runs_as_app_and_serves_a_mounted_model()
    {
        var image = $"tagolym:test-{Guid.NewGuid():N}";
        var container = $"tagolym-test-{Guid.NewGuid():N}";
        var port = FreePort();
        Podman(BuildTimeout, ["build", "--pull=never", "--network=host", "-t", image, SharedData.RepositoryPath()]);
        try
        {
            // a Production replica never trains: it serves the model a train job made, here a file mounted read-only
            var models = TestModels.TemporaryDirectory();
            File.Copy(TestModels.A, Path.Combine(models, "tagolym.model"));
            File.SetUnixFileMode(models, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(Path.Combine(models, "tagolym.model"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Podman(TimeSpan.FromMinutes(1), ["run", "-d", "--name", container, "--network=host", "-e", $"ASPNETCORE_HTTP_PORTS={port}",
                "-v", $"{models}:/models:ro", "-e", "Model__Path=/models/tagolym.model", image]);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            var ready = false;
            for (var attempt = 0; attempt < 240 && !ready; attempt++)
            {
                try
                {
                    ready = (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                if (!ready)
                {
                    await Task.Delay(500);
                }
            }

            ready.Should().BeTrue("the container must become ready; its log:\n" + Podman(TimeSpan.FromSeconds(30), ["logs", container]));
            var response = await client.PostAsJsonAsync(
                new Uri("/predict", UriKind.Relative),
                new { texts = new[] { new { text = "How many ways are there to choose 3 of 10 books if order does not matter?" } } });
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            body["predictions"]!.AsArray().Should().HaveCount(1);
            body["predictions"]![0]!["tags"]!.AsArray().Select(t => t!["tag"]!.GetValue<string>()).Should().Contain("combinatorics");

            Podman(TimeSpan.FromSeconds(30), ["exec", container, "id", "-un"]).Trim().Should().Be("app");
        }
        finally
        {
            Podman(TimeSpan.FromMinutes(1), ["rm", "-f", container], allowFailure: true);
            Podman(TimeSpan.FromMinutes(1), ["rmi", "-f", image], allowFailure: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Podman(TimeSpan timeout, string[] args, bool allowFailure = false)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"podman {string.Join(' ', args)} did not finish in {timeout}");
        }

        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"podman {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result + stderr.Result;
    }
}
