using System.Globalization;
using Microsoft.Extensions.Options;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;

namespace TagOlym.Web.Serving;

/// <summary>
/// A model in the tracking store: <c>models:/NAME@ALIAS</c>, <c>models:/NAME/latest</c>, <c>models:/NAME/VERSION</c>
/// or <c>runs:/RUN_ID/PATH</c>. Its stamp is the version the URI names now (one cheap query per poll, so promoting
/// another version to the alias is seen at the next poll), or the run id; null while the store holds nothing there.
/// Its identity is the registered model's name, the version number and the version's run id (for a run: the run's
/// name, its id and its id).
/// </summary>
public sealed class RegistryModelSource(string location, ModelRegistry registry, string? name, TimeProvider clock) : IModelSource
{
    public string Location { get; } = location;

    public ModelUri Uri { get; } = ModelUri.Parse(location);

    public ModelRegistry Registry { get; } = registry;

    /// <summary>True when the URI follows whatever the registry names (an alias or <c>latest</c>), so a newly registered
    /// and promoted version is what it serves.</summary>
    public bool FollowsRegistry => Uri.Scheme == "models" && (Uri.Alias is not null || Uri.Version == "latest");

    public async ValueTask<string?> GetStampAsync(CancellationToken cancellationToken)
    {
        if (Uri.Scheme == "runs")
        {
            return await FindRunAsync(cancellationToken).ConfigureAwait(false) is { } run ? StampOf(run) : null;
        }

        return await FindVersionAsync(cancellationToken).ConfigureAwait(false) is { } version ? StampOf(version) : null;
    }

    public async ValueTask<ServedModel> LoadAsync(CancellationToken cancellationToken)
    {
        var resolver = new ModelUriResolver(Registry.Store, Registry.CacheDirectory);
        if (Uri.Scheme == "runs")
        {
            var run = await FindRunAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new ResourceDoesNotExistException($"{Location}: no run {Uri.NameOrRunId} with a model in {Registry.Store.Location}");
            var runModel = TagModel.Load(await resolver.ResolveAsync(Location, cancellationToken).ConfigureAwait(false));
            var identity = new ModelIdentity(string.IsNullOrWhiteSpace(name) ? run.Info.RunName : name, run.Info.RunId, run.Info.RunId);
            return new ServedModel(identity, runModel, Location, StampOf(run), clock.GetUtcNow());
        }

        // the version is looked up once and loaded by its number: an alias moving meanwhile is seen at the next poll
        var version = await FindVersionAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceDoesNotExistException($"{Location}: there is no such model version in {Registry.Store.Location} (yet)");
        var file = await resolver.ResolveAsync($"models:/{version.Name}/{version.Version}", cancellationToken).ConfigureAwait(false);
        var model = TagModel.Load(file);
        return new ServedModel(new ModelIdentity(version.Name, version.Version, version.RunId), model, Location, StampOf(version), clock.GetUtcNow());
    }

    /// <summary>The version the URI names now; null when the model, the version or the alias does not exist (yet).</summary>
    public async Task<ModelVersion?> FindVersionAsync(CancellationToken cancellationToken)
    {
        var store = Registry.Store;
        try
        {
            var version = Uri.Alias is not null
                ? await store.GetModelVersionByAliasAsync(Uri.NameOrRunId, Uri.Alias, cancellationToken).ConfigureAwait(false)
                : Uri.Version == "latest"
                    ? (await store.SearchModelVersionsAsync(Uri.NameOrRunId, cancellationToken).ConfigureAwait(false))
                        .MaxBy(v => int.Parse(v.Version, NumberStyles.None, CultureInfo.InvariantCulture))
                    : await store.GetModelVersionAsync(Uri.NameOrRunId, Uri.Version!, cancellationToken).ConfigureAwait(false);
            return version is null || version.Status.StartsWith("PENDING", StringComparison.OrdinalIgnoreCase) ? null : version;
        }
        catch (ResourceDoesNotExistException)
        {
            return null;
        }
    }

    /// <summary>The run of a <c>runs:/</c> URI once it has logged something at the artifact path; else null.</summary>
    private async Task<Run?> FindRunAsync(CancellationToken cancellationToken)
    {
        var store = Registry.Store;
        try
        {
            var run = await store.GetRunAsync(Uri.NameOrRunId, cancellationToken).ConfigureAwait(false);
            var path = Uri.ArtifactPath!.Trim('/');
            if ((await store.ListArtifactsAsync(run.Info.RunId, path, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                return run; // a directory such as model/
            }

            // or a single file such as model/model.tagolym: listed in its folder
            var slash = path.LastIndexOf('/');
            var folder = await store.ListArtifactsAsync(run.Info.RunId, slash < 0 ? null : path[..slash], cancellationToken).ConfigureAwait(false);
            return folder.Any(e => !e.IsDirectory && e.Path == path) ? run : null;
        }
        catch (ResourceDoesNotExistException)
        {
            return null;
        }
    }

    private static string StampOf(ModelVersion version) => $"models:/{version.Name}/{version.Version}";

    private static string StampOf(Run run) => $"runs:/{run.Info.RunId}";
}

/// <summary>Opens <c>models:/</c> and <c>runs:/</c> locations in the store of <c>Tracking:Uri</c>.</summary>
public sealed class RegistryModelSourceFactory(ModelRegistry registry, IOptions<ModelOptions> options, TimeProvider clock) : IModelSourceFactory
{
    public bool CanOpen(string location) => ModelUri.IsModelUri(location);

    public IModelSource Open(string location) => new RegistryModelSource(location, registry, options.Value.Name, clock);
}
