using Microsoft.Extensions.Options;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;

namespace TagOlym.Web.Serving;

/// <summary>
/// A model in the tracking store: <c>models:/NAME@ALIAS</c>, <c>models:/NAME/latest</c>, <c>models:/NAME/VERSION</c>
/// or <c>runs:/RUN_ID/PATH</c>, resolved by Core's <see cref="ModelUriResolver"/> (the one the command line uses, with
/// its rule for versions that are not READY). Its stamp is what the URI names now (one cheap query per poll, so
/// promoting another version to the alias is seen at the next poll); null while the store holds nothing there.
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

    private ModelUriResolver Resolver => new(Registry.Store, Registry.CacheDirectory);

    public async ValueTask<string?> GetStampAsync(CancellationToken cancellationToken) =>
        (await FindAsync(cancellationToken).ConfigureAwait(false))?.Stamp;

    public async ValueTask<ServedModel> LoadAsync(CancellationToken cancellationToken)
    {
        // what the URI names is looked up once and loaded as such: an alias moving meanwhile is seen at the next poll
        var found = await FindAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceDoesNotExistException($"{Location}: there is no such model in {Registry.Store.Location} (yet)");
        var model = TagModel.Load(await Resolver.LoadAsync(found, cancellationToken).ConfigureAwait(false));
        var identity = found.Version is { } version
            ? new ModelIdentity(version.Name, version.Version, version.RunId)
            : new ModelIdentity(string.IsNullOrWhiteSpace(name) ? found.Run!.Info.RunName : name, found.Run!.Info.RunId, found.Run.Info.RunId);
        return new ServedModel(identity, model, Location, found.Stamp, clock.GetUtcNow());
    }

    /// <summary>The version the URI names now; null when it names a run, or nothing servable (yet).</summary>
    public async Task<ModelVersion?> FindVersionAsync(CancellationToken cancellationToken) =>
        (await FindAsync(cancellationToken).ConfigureAwait(false))?.Version;

    private async Task<ResolvedModel?> FindAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Resolver.FindAsync(Uri, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceDoesNotExistException)
        {
            return null;
        }
    }
}

/// <summary>Opens <c>models:/</c> and <c>runs:/</c> locations in the store of <c>Tracking:Uri</c>.</summary>
public sealed class RegistryModelSourceFactory(ModelRegistry registry, IOptions<ModelOptions> options, TimeProvider clock) : IModelSourceFactory
{
    public bool CanOpen(string location) => ModelUri.IsModelUri(location);

    public IModelSource Open(string location) => new RegistryModelSource(location, registry, options.Value.Name, clock);
}
