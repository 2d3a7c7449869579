namespace TagOlym.Core.Tracking;

/// <summary>
/// Opens the tracking store a URI names, as MLflow reads <c>MLFLOW_TRACKING_URI</c>: <c>http(s)://</c> is an MLflow
/// server (<see cref="MlflowRestStore"/>, credentials from <c>MLFLOW_TRACKING_TOKEN</c> or
/// <c>MLFLOW_TRACKING_USERNAME</c>/<c>MLFLOW_TRACKING_PASSWORD</c>); <c>file:///dir</c> or a plain path is a
/// FileStore directory (<see cref="FileTrackingStore"/>). Without a URI: <see cref="DefaultLocalStore"/>.
/// </summary>
public static class TrackingStores
{
    /// <summary>The local store, relative to the working directory.</summary>
    public const string DefaultLocalStore = "stores/model";

    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    /// <summary>The explicit URI if given, else <c>MLFLOW_TRACKING_URI</c>, else <see cref="DefaultLocalStore"/>.</summary>
    public static string ResolveUri(string? explicitUri = null, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrWhiteSpace(explicitUri) ? explicitUri
            : getVariable(TrackingUriVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultLocalStore;
    }

    public static bool IsRemote(string uri) =>
        uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the store of <see cref="ResolveUri"/>; the caller disposes it.</summary>
    public static ITrackingStore Open(string? uri = null, Func<string, string?>? getVariable = null, HttpMessageHandler? handler = null, MlflowRetryPolicy? retry = null)
    {
        var resolved = ResolveUri(uri, getVariable);
        if (IsRemote(resolved))
        {
            return new MlflowRestStore(new Uri(resolved), handler, MlflowCredentials.FromEnvironment(getVariable), retry);
        }

        if (resolved.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return new FileTrackingStore(new Uri(resolved).LocalPath);
        }

        if (resolved.Contains("://", StringComparison.Ordinal) || resolved.StartsWith("databricks", StringComparison.OrdinalIgnoreCase)
            || resolved.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) || resolved.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"tracking URI {resolved} is not supported: use a directory (MLflow file store) or the http(s):// address of an MLflow server");
        }

        return new FileTrackingStore(resolved);
    }
}
