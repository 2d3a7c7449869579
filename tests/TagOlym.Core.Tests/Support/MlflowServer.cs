using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TagOlym.Core.Tracking;

namespace TagOlym.Core.Tests.Support;

/// <summary>
/// A real MLflow 2.9.2 tracking server (<c>../shared/tools/mlflow/start-mlflow.sh</c>) on a free 127.0.0.1 port, with
/// the sqlite backend (a team server) or the file backend (a FileStore folder); stopped (its process group) on dispose.
/// </summary>
public sealed class MlflowServer : IDisposable
{
    public const string Sqlite = "sqlite";
    public const string File = "file";

    private MlflowServer(string backend, string dataDirectory, Uri uri, string? storeDirectory)
    {
        Backend = backend;
        DataDirectory = dataDirectory;
        Uri = uri;
        StoreDirectory = storeDirectory;
    }

    public static string Script(string name) => SharedData.Path("tools", "mlflow", name);

    /// <summary>Why the server cannot start here (null when it can): its script, Debian's Python and the Python
    /// packages it needs (start-mlflow.sh installs them with apt; .ci/run does so before the tests).</summary>
    public static string? Unavailable { get; } = FindWhyUnavailable();

    public string Backend { get; }

    public string DataDirectory { get; }

    public Uri Uri { get; }

    /// <summary>The FileStore folder the server keeps its runs and registry in (file backend), else null.</summary>
    public string? StoreDirectory { get; }

    /// <summary>Starts a server; <paramref name="storeDirectory"/> makes a file-backed server read (and write) that folder.</summary>
    public static MlflowServer Start(string backend, string? storeDirectory = null)
    {
        var data = Directory.CreateTempSubdirectory("tagolym-mlflow-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("bash") { ArgumentList = { Script("start-mlflow.sh"), data }, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["MLFLOW_BACKEND"] = backend;
        start.Environment["MLFLOW_WORKERS"] = "1";
        if (storeDirectory is not null)
        {
            start.Environment["MLFLOW_BACKEND_STORE_URI"] = storeDirectory;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"start-mlflow.sh exited {process.ExitCode}: {output.Result}\n{errors.Result}");
        }

        return new MlflowServer(backend, data, new Uri($"http://127.0.0.1:{port}"), storeDirectory ?? (backend == File ? Path.Combine(data, "mlruns") : null));
    }

    public MlflowRestStore OpenStore() => new(Uri, retry: MlflowRetryPolicy.None);

    /// <summary>Sets a version's status behind the server's back (MLflow's REST API creates READY versions only; a
    /// PENDING_REGISTRATION one is what an asynchronous registration leaves while it copies files).</summary>
    public void SetVersionStatus(string name, string version, string status)
    {
        if (Backend == File)
        {
            var meta = Path.Combine(StoreDirectory!, "models", name, $"version-{version}", "meta.yaml");
            var lines = System.IO.File.ReadAllLines(meta).Select(l => l.StartsWith("status: ", StringComparison.Ordinal) ? "status: " + status : l);
            System.IO.File.WriteAllText(meta, string.Join('\n', lines) + "\n");
            return;
        }

        Run("/usr/bin/python3", "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('update model_versions set status = ? where name = ? and version = ?', (sys.argv[2], sys.argv[3], int(sys.argv[4]))); c.commit()",
            Path.Combine(DataDirectory, "mlflow.db"), status, name, version);
    }

    public void Dispose() => Run("bash", Script("stop-mlflow.sh"), DataDirectory);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited {process.ExitCode}: {errors.Result}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string? FindWhyUnavailable()
    {
        string script;
        try
        {
            script = Script("start-mlflow.sh");
        }
        catch (DirectoryNotFoundException e)
        {
            return e.Message;
        }

        var packages = new[] { "flask", "sqlalchemy", "alembic", "google/protobuf", "yaml", "gunicorn", "pandas", "sklearn" };
        return !System.IO.File.Exists(script) ? $"{script} is missing"
            : !System.IO.File.Exists("/usr/bin/python3") ? "Debian's python3 is not installed"
            : packages.FirstOrDefault(p => !Directory.Exists(Path.Combine("/usr/lib/python3/dist-packages", p))) is { } missing
                ? $"the Python packages MLflow needs are not installed (no {missing}; .ci/run or a first start-mlflow.sh installs them)"
                : null;
    }
}

/// <summary>A test against the real MLflow server: skipped with the reason where it cannot start, unless
/// <c>TAGOLYM_REQUIRE_MLFLOW=1</c> (set by .ci/run, which installs what it needs), where it must run.</summary>
public sealed class MlflowFactAttribute : FactAttribute
{
    public MlflowFactAttribute()
    {
        if (MlflowServer.Unavailable is { } reason && Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_MLFLOW") != "1")
        {
            Skip = "the real MLflow server cannot start here: " + reason;
        }
    }
}

/// <inheritdoc cref="MlflowFactAttribute"/>
public sealed class MlflowTheoryAttribute : TheoryAttribute
{
    public MlflowTheoryAttribute()
    {
        if (MlflowServer.Unavailable is { } reason && Environment.GetEnvironmentVariable("TAGOLYM_REQUIRE_MLFLOW") != "1")
        {
            Skip = "the real MLflow server cannot start here: " + reason;
        }
    }
}

/// <summary>One sqlite-backed and one file-backed server for a test collection, started on first use.</summary>
public sealed class MlflowServers : IDisposable
{
    private readonly Lazy<MlflowServer> sqlite = new(() => MlflowServer.Start(MlflowServer.Sqlite));
    private readonly Lazy<MlflowServer> file = new(() => MlflowServer.Start(MlflowServer.File));

    public MlflowServer this[string backend] => backend == MlflowServer.File ? file.Value : sqlite.Value;

    public void Dispose()
    {
        if (sqlite.IsValueCreated)
        {
            sqlite.Value.Dispose();
        }

        if (file.IsValueCreated)
        {
            file.Value.Dispose();
        }
    }
}

/// <summary>The tests that share <see cref="MlflowServers"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MlflowServersDefinition : ICollectionFixture<MlflowServers>
{
    public const string Name = "real MLflow servers";
}
