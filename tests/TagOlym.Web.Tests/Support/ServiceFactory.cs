using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TagOlym.Web.Tests.Support;

/// <summary>The service with its configuration overridden for one test: model path, polling, admin key, limits.
/// Bootstrapping is off unless a test turns it on; every log entry is captured in <see cref="Logs"/>. A null model path
/// keeps the shipped <c>Model:Path</c>.</summary>
public sealed class ServiceFactory(
    string? modelPath,
    IDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-admin-key-0b7c";

    public LogCapture Logs { get; } = new();

    /// <summary>This service's own feedback database, in a fresh folder (a test may point <c>Feedback:ConnectionString</c> elsewhere).</summary>
    public string FeedbackDatabase { get; } = Path.Combine(TestModels.TemporaryDirectory(), "feedback.db");

    public string ModelPath => modelPath ?? throw new InvalidOperationException("this service runs with the shipped Model:Path");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (modelPath is not null)
        {
            builder.UseSetting("Model:Path", modelPath);
        }

        builder.UseSetting("Model:PollInterval", "00:00:00");
        builder.UseSetting("Model:Bootstrap:Enabled", "false");
        builder.UseSetting("Admin:ApiKey", ApiKey);
        builder.UseSetting("Feedback:ConnectionString", $"Data Source={FeedbackDatabase}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(collection =>
        {
            collection.AddSingleton<ILoggerProvider>(Logs);
            services?.Invoke(collection);
        });
    }

    /// <summary>A client once the service reports ready (a model serves).</summary>
    public async Task<HttpClient> ReadyClientAsync()
    {
        var client = CreateClient();
        await WaitReadyAsync(client);
        return client;
    }

    public static async Task WaitReadyAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the service did not become ready");
    }
}

/// <summary>Keeps every log entry of the host: category, level, rendered message.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, formatter(state, exception), exception));
    }
}
