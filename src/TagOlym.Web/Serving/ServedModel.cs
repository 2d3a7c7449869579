using TagOlym.Core.Models;

namespace TagOlym.Web.Serving;

/// <summary>Which model answered: its name, its version, and the tracking run it came from (null for a model file).</summary>
public sealed record ModelIdentity(string Name, string Version, string? RunId);

/// <summary>A loaded, probed model ready to serve, with where it came from.</summary>
/// <param name="Stamp">The source's change stamp when it was loaded (for a file: last-write time and length).</param>
public sealed record ServedModel(ModelIdentity Identity, TagModel Model, string Source, string Stamp, DateTimeOffset LoadedUtc)
{
    public TagSuggester Suggester { get; } = new(Model);
}
