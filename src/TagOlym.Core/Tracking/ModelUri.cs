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

/// <summary>What a model URI names now: a registered model version (<see cref="Version"/>) or a run (<see cref="Run"/>).</summary>
public sealed record ResolvedModel(ModelUri Uri, ModelVersion? Version, Run? Run)
{
    /// <summary>A token that changes when the URI names something else: <c>models:/NAME/VERSION</c> or <c>runs:/RUN_ID</c>.</summary>
    public string Stamp => Version is { } version ? $"models:/{version.Name}/{version.Version}" : $"runs:/{Run!.Info.RunId}";
}

/// <summary>
/// The one registry resolver, used by the command line and the service alike. It turns <c>models:/NAME@ALIAS</c>,
/// <c>models:/NAME/VERSION</c>, <c>models:/NAME/latest</c> and <c>runs:/RUN_ID/PATH</c> into what they name now
/// (<see cref="FindAsync"/>) and then into a local model file (<see cref="LoadAsync"/>): the artifact location
/// (the run's <c>artifact_uri</c> or the version's <c>source</c>) is made local by the store (the file store's own
/// path; the REST store downloads into <see cref="CacheDirectory"/>) and the <c>MLmodel</c> descriptor names the file.
/// <para>One rule for versions that are not ready: only a <c>READY</c> version resolves. <c>latest</c> is the highest
/// READY version; an alias or a number naming a <c>PENDING_REGISTRATION</c> or <c>FAILED_REGISTRATION</c> version is
/// reported as not there (yet), as is a run that has logged nothing at the path.</para>
/// </summary>
public sealed class ModelUriResolver(ITrackingStore store, string cacheDirectory)
{
    public const string Ready = "READY";

    public string CacheDirectory { get; } = Path.GetFullPath(cacheDirectory);

    /// <summary>A local model file for a model URI; a plain path is returned unchanged.</summary>
    public async Task<string> ResolveAsync(string modelUriOrPath, CancellationToken cancellationToken = default) =>
        ModelUri.IsModelUri(modelUriOrPath)
            ? await LoadAsync(await FindAsync(ModelUri.Parse(modelUriOrPath), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : modelUriOrPath;

    /// <summary>
    /// What <paramref name="uri"/> names now. <see cref="ResourceDoesNotExistException"/> (with the reason) when the
    /// model, version, alias or run does not exist, the version is not READY, or the run logged nothing at the path.
    /// </summary>
    public async Task<ResolvedModel> FindAsync(ModelUri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme == "runs")
        {
            var run = await store.GetRunAsync(uri.NameOrRunId, cancellationToken).ConfigureAwait(false);
            return await HasArtifactAsync(run.Info.RunId, uri.ArtifactPath!.Trim('/'), cancellationToken).ConfigureAwait(false)
                ? new ResolvedModel(uri, null, run)
                : throw new ResourceDoesNotExistException($"{uri}: run {run.Info.RunId} has logged nothing at {uri.ArtifactPath} (yet)");
        }

        ModelVersion version;
        if (uri.Version == "latest")
        {
            var versions = await store.SearchModelVersionsAsync(uri.NameOrRunId, cancellationToken).ConfigureAwait(false);
            version = versions.Where(IsReady).MaxBy(v => int.Parse(v.Version, NumberStyles.None, CultureInfo.InvariantCulture))
                ?? throw new ResourceDoesNotExistException(versions.Count == 0
                    ? $"{uri}: registered model {uri.NameOrRunId} has no versions"
                    : $"{uri}: registered model {uri.NameOrRunId} has no READY version (yet)");
        }
        else
        {
            version = uri.Alias is not null
                ? await store.GetModelVersionByAliasAsync(uri.NameOrRunId, uri.Alias, cancellationToken).ConfigureAwait(false)
                : await store.GetModelVersionAsync(uri.NameOrRunId, uri.Version!, cancellationToken).ConfigureAwait(false);
            if (!IsReady(version))
            {
                throw new ResourceDoesNotExistException($"{uri}: version {version.Version} of {version.Name} is {version.Status}, not READY");
            }
        }

        return new ResolvedModel(uri, version, null);
    }

    /// <summary>The local model file of a resolved model (downloaded when the store is remote).</summary>
    public async Task<string> LoadAsync(ResolvedModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        string artifactUri;
        if (model.Run is { } run)
        {
            artifactUri = run.Info.ArtifactUri.TrimEnd('/') + "/" + model.Uri.ArtifactPath!.Trim('/');
        }
        else if (model.Version!.Source.StartsWith("runs:/", StringComparison.Ordinal))
        {
            // a version registered from a run URI (as MLflow's client may do)
            return await LoadAsync(await FindAsync(ModelUri.Parse(model.Version.Source), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            artifactUri = model.Version.Source;
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
        return File.Exists(path) ? path : throw new FileNotFoundException($"{model.Uri}: no model file {modelFile} in {artifactUri}", path);
    }

    private static bool IsReady(ModelVersion version) => string.Equals(version.Status, Ready, StringComparison.OrdinalIgnoreCase);

    /// <summary>A directory such as <c>model/</c> with entries, or a single file such as <c>model/tagolym.model</c> listed in its folder.</summary>
    private async Task<bool> HasArtifactAsync(string runId, string path, CancellationToken cancellationToken)
    {
        if ((await store.ListArtifactsAsync(runId, path, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return true;
        }

        var slash = path.LastIndexOf('/');
        var folder = await store.ListArtifactsAsync(runId, slash < 0 ? null : path[..slash], cancellationToken).ConfigureAwait(false);
        return folder.Any(e => !e.IsDirectory && e.Path == path);
    }
}
