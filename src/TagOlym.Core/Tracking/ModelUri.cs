using System.Globalization;

namespace TagOlym.Core.Tracking;

/// <summary>
/// A model named the MLflow way: <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c>, <c>models:/&lt;name&gt;/&lt;version&gt;</c>,
/// <c>models:/&lt;name&gt;/latest</c> or <c>models:/&lt;name&gt;@&lt;alias&gt;</c>.
/// </summary>
public sealed record ModelUri(string Scheme, string NameOrRunId, string? Version, string? Alias, string? ArtifactPath)
{
    public static bool IsModelUri(string value) =>
        value is not null && (value.StartsWith("runs:/", StringComparison.Ordinal) || value.StartsWith("models:/", StringComparison.Ordinal));

    public static ModelUri Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith("runs:/", StringComparison.Ordinal))
        {
            var rest = value["runs:/".Length..].Trim('/');
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash <= 0 || slash == rest.Length - 1
                ? throw new ArgumentException($"{value}: a run model URI is runs:/<run_id>/<artifact path>, e.g. runs:/<id>/model")
                : new ModelUri("runs", rest[..slash], null, null, rest[(slash + 1)..]);
        }

        if (value.StartsWith("models:/", StringComparison.Ordinal))
        {
            var rest = value["models:/".Length..].Trim('/');
            var at = rest.LastIndexOf('@');
            if (at > 0 && !rest.Contains('/', StringComparison.Ordinal))
            {
                return new ModelUri("models", rest[..at], null, rest[(at + 1)..], null);
            }

            var slash = rest.LastIndexOf('/');
            if (slash > 0 && rest[(slash + 1)..] is var version
                && (version == "latest" || int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return new ModelUri("models", rest[..slash], version, null, null);
            }
        }

        throw new ArgumentException($"{value}: expected runs:/<run_id>/model, models:/<name>/<version> or models:/<name>@<alias>");
    }

    public override string ToString() => Scheme == "runs"
        ? $"runs:/{NameOrRunId}/{ArtifactPath}"
        : Alias is not null ? $"models:/{NameOrRunId}@{Alias}" : $"models:/{NameOrRunId}/{Version}";
}

/// <summary>
/// Turns a model URI into a local model file: finds the artifact location (the run's <c>artifact_uri</c> or the
/// version's <c>source</c>), has the store make it local (the file store's own path; the REST store downloads into
/// <see cref="CacheDirectory"/>), and follows the <c>MLmodel</c> descriptor to the model file. A plain path is
/// returned unchanged.
/// </summary>
public sealed class ModelUriResolver(ITrackingStore store, string cacheDirectory)
{
    public string CacheDirectory { get; } = Path.GetFullPath(cacheDirectory);

    public async Task<string> ResolveAsync(string modelUriOrPath, CancellationToken cancellationToken = default)
    {
        if (!ModelUri.IsModelUri(modelUriOrPath))
        {
            return modelUriOrPath;
        }

        var uri = ModelUri.Parse(modelUriOrPath);
        string artifactUri;
        if (uri.Scheme == "runs")
        {
            var run = await store.GetRunAsync(uri.NameOrRunId, cancellationToken).ConfigureAwait(false);
            artifactUri = run.Info.ArtifactUri.TrimEnd('/') + "/" + uri.ArtifactPath!.Trim('/');
        }
        else
        {
            var version = uri.Alias is not null
                ? await store.GetModelVersionByAliasAsync(uri.NameOrRunId, uri.Alias, cancellationToken).ConfigureAwait(false)
                : uri.Version == "latest"
                    ? (await store.SearchModelVersionsAsync(uri.NameOrRunId, cancellationToken).ConfigureAwait(false))
                        .MaxBy(v => int.Parse(v.Version, CultureInfo.InvariantCulture))
                        ?? throw new ResourceDoesNotExistException($"registered model {uri.NameOrRunId} has no versions")
                    : await store.GetModelVersionAsync(uri.NameOrRunId, uri.Version!, cancellationToken).ConfigureAwait(false);
            artifactUri = version.Source;
            if (ModelUri.IsModelUri(artifactUri) && artifactUri.StartsWith("runs:/", StringComparison.Ordinal))
            {
                return await ResolveAsync(artifactUri, cancellationToken).ConfigureAwait(false);
            }
        }

        var local = await store.DownloadArtifactsAsync(artifactUri, CacheDirectory, cancellationToken).ConfigureAwait(false);
        if (File.Exists(local))
        {
            return local;
        }

        var descriptor = Path.Combine(local, ModelDescriptor.FileName);
        var modelFile = File.Exists(descriptor)
            ? ModelDescriptor.ModelFileOf(await File.ReadAllTextAsync(descriptor, cancellationToken).ConfigureAwait(false))
            : ModelDescriptor.DefaultModelFile;
        var path = Path.Combine(local, modelFile);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{modelUriOrPath}: no model file {modelFile} in {artifactUri}", path);
    }
}
