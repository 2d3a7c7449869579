namespace TagOlym.Web.Serving;

/// <summary>
/// Where the served model comes from: the model registry (<c>models:/name@alias</c>, <see cref="RegistryModelSource"/>)
/// or a model file (<see cref="FileModelSource"/>). A source
/// answers cheaply whether something new is there (<see cref="GetStampAsync"/>) and loads it on demand.
/// </summary>
public interface IModelSource
{
    /// <summary>The configured location, as written (for logs and <c>GET /model</c>).</summary>
    string Location { get; }

    /// <summary>A token that changes whenever the source holds a different model; null when it holds none.</summary>
    ValueTask<string?> GetStampAsync(CancellationToken cancellationToken);

    /// <summary>Loads the model the source holds now. Throws when it is missing or unreadable.</summary>
    ValueTask<ServedModel> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>Opens the sources of one kind of location; registered in DI, asked in order.</summary>
public interface IModelSourceFactory
{
    bool CanOpen(string location);

    IModelSource Open(string location);
}

/// <summary>Picks the factory for the configured <c>Model:Path</c>.</summary>
public static class ModelSources
{
    public static IModelSource Open(IEnumerable<IModelSourceFactory> factories, string location)
    {
        ArgumentNullException.ThrowIfNull(factories);
        foreach (var factory in factories)
        {
            if (factory.CanOpen(location))
            {
                return factory.Open(location);
            }
        }

        throw new InvalidOperationException(location.StartsWith("models:/", StringComparison.Ordinal)
            ? $"Model:Path is the registry URI {location}, but no model registry is configured (no model source factory opens registry URIs); use a model file path."
            : $"no model source can open Model:Path {location}");
    }
}
