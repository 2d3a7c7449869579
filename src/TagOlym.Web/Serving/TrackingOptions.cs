using Microsoft.Extensions.Options;
using TagOlym.Core.Tracking;

namespace TagOlym.Web.Serving;

/// <summary>The <c>Tracking</c> section: the MLflow tracking store and model registry a <c>models:/</c> or <c>runs:/</c>
/// <c>Model:Path</c> is read from.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>A directory (MLflow file store), a <c>file:</c> URI or the <c>http(s)://</c> address of an MLflow server.
    /// Empty: <c>MLFLOW_TRACKING_URI</c>, else <c>stores/model</c>. A relative directory is resolved against
    /// <see cref="ServicePaths.Base"/>.</summary>
    public string? Uri { get; set; }

    /// <summary>Where artifacts of a remote store are downloaded (relative paths as above).</summary>
    public string CacheDirectory { get; set; } = "stores/cache";

    /// <summary>The experiment a bootstrap run is logged in. Empty: <c>MLFLOW_EXPERIMENT_NAME</c>, else <c>tagolym</c>.</summary>
    public string? Experiment { get; set; }
}

/// <summary>
/// The tracking store of <c>Tracking:Uri</c>, opened on first use and disposed with the service, with the cache
/// directory and experiment the registry sources and the bootstrap use.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly Lazy<ITrackingStore> store;

    public ModelRegistry(IOptions<TrackingOptions> options, ServicePaths paths)
        : this(options, paths, Environment.GetEnvironmentVariable)
    {
    }

    /// <param name="open">Opens the store of a resolved URI (tests: a stand-in server); default <see cref="TrackingStores.Open"/>.</param>
    internal ModelRegistry(IOptions<TrackingOptions> options, ServicePaths paths, Func<string, string?> getVariable, Func<string, ITrackingStore>? open = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        var settings = options.Value;
        StoreUri = ResolveStoreUri(settings.Uri, paths, getVariable);
        CacheDirectory = paths.Resolve(string.IsNullOrWhiteSpace(settings.CacheDirectory) ? "stores/cache" : settings.CacheDirectory);
        Experiment = !string.IsNullOrWhiteSpace(settings.Experiment) ? settings.Experiment
            : getVariable(TrainingRuns.ExperimentNameVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : TrainingRuns.DefaultExperiment;
        open ??= uri => TrackingStores.Open(uri, getVariable);
        store = new Lazy<ITrackingStore>(() => open(StoreUri), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The store's URI as opened: a server address, a <c>file:</c> URI, or an absolute directory.</summary>
    public string StoreUri { get; }

    public string CacheDirectory { get; }

    public string Experiment { get; }

    public ITrackingStore Store => store.Value;

    /// <summary><c>Tracking:Uri</c>, else <c>MLFLOW_TRACKING_URI</c>, else <c>stores/model</c>; a relative directory made absolute with <paramref name="paths"/>.</summary>
    public static string ResolveStoreUri(string? configured, ServicePaths paths, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var uri = TrackingStores.ResolveUri(configured, getVariable);
        return uri.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(uri) ? uri : paths.Resolve(uri);
    }

    public void Dispose()
    {
        if (store.IsValueCreated)
        {
            store.Value.Dispose();
        }
    }
}
