using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TagOlym.Web.Serving;

/// <summary>One served model: the name it is reached by (<c>/models/{Key}</c>), its source, the model serving now and the
/// manager that swaps it; each slot swaps independently of the others.</summary>
public sealed class ModelSlot(string key, IModelSource source, CurrentModel current, ModelManager manager)
{
    public string Key { get; } = key;

    public IModelSource Source { get; } = source;

    public CurrentModel Current { get; } = current;

    public ModelManager Manager { get; } = manager;
}

/// <summary>
/// The models the service serves. <c>Models:NAME:Path</c> lists named models (registry URIs or files);
/// <c>Model:Default</c> (default <c>default</c>) names the one <c>/predict</c> and <c>/model</c> serve, which is
/// <c>Model:Path</c> unless <c>Models</c> lists a model of that name. So the shipped configuration serves one model,
/// <c>default</c>, and adding <c>Models:competition:Path</c> serves a second beside it.
/// </summary>
public sealed partial class ModelCatalog : IDisposable
{
    public const string Section = "Models";

    private readonly Dictionary<string, ModelSlot> slots;

    public ModelCatalog(IConfiguration configuration, IOptions<ModelOptions> options, IEnumerable<IModelSourceFactory> factories, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var settings = options.Value;
        var locations = Locations(configuration, settings);
        var sources = factories.ToArray();
        slots = new Dictionary<string, ModelSlot>(StringComparer.Ordinal);
        foreach (var (key, location) in locations)
        {
            var current = new CurrentModel();
            var source = ModelSources.Open(sources, location);
            slots[key] = new ModelSlot(key, source, current, new ModelManager(source, current, options, loggers.CreateLogger<ModelManager>()));
        }

        Default = slots[settings.Default];
        All = [Default, .. slots.Values.Where(s => s != Default).OrderBy(s => s.Key, StringComparer.Ordinal)];
    }

    /// <summary>The model of <c>/predict</c> and <c>/model</c>.</summary>
    public ModelSlot Default { get; }

    /// <summary>Every slot, the default first, then by name.</summary>
    public IReadOnlyList<ModelSlot> All { get; }

    public ModelSlot? Find(string key) => slots.GetValueOrDefault(key);

    public void Dispose()
    {
        foreach (var slot in slots.Values)
        {
            slot.Manager.Dispose();
        }
    }

    /// <summary>Each model's key and location, checked: keys are URL-safe names, every model has a path.</summary>
    internal static Dictionary<string, string> Locations(IConfiguration configuration, ModelOptions settings)
    {
        var locations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            if (!KeyPattern().IsMatch(entry.Key))
            {
                throw new OptionsValidationException(Section, typeof(ModelOptions),
                    [$"Models:{entry.Key}: a model's name must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit"]);
            }

            var path = entry["Path"];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new OptionsValidationException(Section, typeof(ModelOptions),
                    [$"Models:{entry.Key}:Path must be a registry URI (models:/NAME@ALIAS) or a model file"]);
            }

            locations[entry.Key] = path;
        }

        if (!KeyPattern().IsMatch(settings.Default))
        {
            throw new OptionsValidationException(ModelOptions.Section, typeof(ModelOptions),
                [$"Model:Default '{settings.Default}' must be 1 to 64 lowercase letters, digits, '-' or '_'"]);
        }

        locations.TryAdd(settings.Default, settings.Path);
        return locations;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex KeyPattern();
}
