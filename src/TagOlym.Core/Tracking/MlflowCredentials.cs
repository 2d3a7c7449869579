using System.Net.Http.Headers;
using System.Text;

namespace TagOlym.Core.Tracking;

/// <summary>
/// How to authenticate to an MLflow server, as MLflow's own client does: <c>MLFLOW_TRACKING_TOKEN</c> (a bearer
/// token) wins over <c>MLFLOW_TRACKING_USERNAME</c>/<c>MLFLOW_TRACKING_PASSWORD</c> (basic). Never printed:
/// <see cref="ToString"/> names the scheme only.
/// </summary>
public sealed class MlflowCredentials
{
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";
    public const string UsernameVariable = "MLFLOW_TRACKING_USERNAME";
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";

    private readonly string? token;
    private readonly string? username;
    private readonly string? password;

    private MlflowCredentials(string? token, string? username, string? password)
    {
        this.token = token;
        this.username = username;
        this.password = password;
    }

    public static MlflowCredentials None { get; } = new(null, null, null);

    public static MlflowCredentials Bearer(string token) => new(token, null, null);

    public static MlflowCredentials Basic(string username, string password) => new(null, username, password);

    /// <summary>Reads the MLflow variables through <paramref name="getVariable"/> (the process environment by default).</summary>
    public static MlflowCredentials FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var token = getVariable(TokenVariable);
        if (!string.IsNullOrEmpty(token))
        {
            return Bearer(token);
        }

        var user = getVariable(UsernameVariable);
        return string.IsNullOrEmpty(user) ? None : Basic(user, getVariable(PasswordVariable) ?? "");
    }

    /// <summary>The Authorization header value, or null.</summary>
    public AuthenticationHeaderValue? Header() =>
        !string.IsNullOrEmpty(token) ? new AuthenticationHeaderValue("Bearer", token)
        : username is not null ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")))
        : null;

    public override string ToString() => token is not null ? "bearer token" : username is not null ? "basic (username/password)" : "none";
}

/// <summary>
/// Retries of transient failures (connection refused or reset, timeouts, HTTP 408, 429 and 5xx but 501) as the
/// standard HTTP resilience pipeline does them (Microsoft.Extensions.Http.Resilience): exponential backoff with jitter
/// from <see cref="InitialDelay"/>, capped at <see cref="MaxDelay"/>, a <c>Retry-After</c> honoured, at most
/// <see cref="MaxAttempts"/> attempts in all. A 4xx other than 408 and 429 is never retried.
/// </summary>
public sealed record MlflowRetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public static MlflowRetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));

    public static MlflowRetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero);
}
