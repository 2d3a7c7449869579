using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Cli.Tests;

/// <summary>
/// The real MLflow 2.9.2 server of <c>../shared/tools/mlflow</c> (sqlite backend, artifact proxy) on a free loopback
/// port, started for a test class and stopped with it.
/// </summary>
public sealed class RealMlflowServer : IDisposable
{
    private readonly string data = CliRunner.TemporaryDirectory();

    public RealMlflowServer()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var (exitCode, output) = Script("start-mlflow.sh", port);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the MLflow server did not start (exit {exitCode}): {output}");
        }

        Uri = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Uri { get; }

    public void Dispose()
    {
        Script("stop-mlflow.sh", null);
        Directory.Delete(data, recursive: true);
    }

    private (int ExitCode, string Output) Script(string name, int? port)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SharedData.Path("tools", "mlflow", name));
        start.ArgumentList.Add(data);
        if (port is { } p)
        {
            start.Environment["PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
