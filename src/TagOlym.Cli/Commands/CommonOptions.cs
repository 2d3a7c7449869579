using TagOlym.Core.Data;
using System.CommandLine;
using TagOlym.Core.Labels;
using TagOlym.Core.Tracking;

namespace TagOlym.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Labels() =>
        new("--labels") { Description = "Taxonomy file (raw tag -> labels); default: the built-in 10-label taxonomy (config/labels.json)" };

    public static Option<FileInfo?> Rules() =>
        new("--rules") { Description = "Validation rules (JSON, snake_case keys such as max_duplicate_share); default: the built-in rules" };

    public static ValidationRules LoadRules(FileInfo? file)
    {
        CliPaths.CheckInputs((file, "--rules"));
        return file is null ? ValidationRules.Default : ValidationRules.Load(file.FullName);
    }

    /// <summary>
    /// An option taking one of an enum's values, spelled in lower case in --help (<c>stratified|fixed</c>) and in the
    /// error for any other value, which names the option and the allowed values (never the enum's type). Its default
    /// is the enum's zero value, named in the description as the README writes it.
    /// </summary>
    public static Option<T> Choice<T>(string name, string description)
        where T : struct, Enum
    {
        var fallback = default(T).ToString();
        var allowed = string.Join('|', Enum.GetNames<T>()
            .OrderBy(n => !n.Equals(fallback, StringComparison.Ordinal))
            .Select(n => n.ToLowerInvariant()));
        return new Option<T>(name)
        {
            Description = $"{description} (default: {fallback.ToLowerInvariant()})",
            HelpName = allowed,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                var match = Enum.GetNames<T>().FirstOrDefault(n => n.Equals(token, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    result.AddError($"{name} must be {allowed.Replace("|", " or ", StringComparison.Ordinal)}; got '{token}'");
                    return default;
                }

                return Enum.Parse<T>(match);
            },
        };
    }

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress display (for scripts)" };

    public static Option<string?> TrackingUri() =>
        new("--tracking-uri") { Description = "MLflow tracking store: a directory (file store) or http(s)://server (default: MLFLOW_TRACKING_URI, else stores/model)" };

    /// <summary>The model a command uses when --model is not given: the registry's champion in the tracking store.</summary>
    public const string DefaultModel = "models:/" + TrainingRuns.DefaultModelName + "@champion";

    /// <summary>The --model option: a model file or an MLflow model URI; without a default it is required.</summary>
    public static Option<string> Model(bool championByDefault = false)
    {
        var option = new Option<string>("--model")
        {
            Description = "The model: a file, or runs:/<run_id>/model, models:/<name>/<version>, models:/<name>@<alias>"
                + (championByDefault ? $" (default: {DefaultModel}, the champion of the tracking store)" : string.Empty),
            Required = !championByDefault,
        };
        if (championByDefault)
        {
            option.DefaultValueFactory = _ => DefaultModel;
        }

        return option;
    }

    /// <summary>Where models downloaded from an MLflow server are kept (TAGOLYM_MODEL_CACHE, else stores/cache).</summary>
    public static string ModelCache =>
        Environment.GetEnvironmentVariable("TAGOLYM_MODEL_CACHE") is { Length: > 0 } cache ? cache : Path.Combine("stores", "cache");

    /// <summary>A local model file for a path or a model URI (resolved through the tracking store).</summary>
    public static async Task<string> ResolveModelAsync(string model, string? trackingUri, CancellationToken cancellationToken)
    {
        if (!ModelUri.IsModelUri(model))
        {
            CliPaths.CheckInputs((new FileInfo(model), "--model"));
            return Path.GetFullPath(model);
        }

        using var store = TrackingStores.Open(trackingUri);
        return await new ModelUriResolver(store, ModelCache).ResolveAsync(model, cancellationToken);
    }

    public static Taxonomy LoadTaxonomy(FileInfo? file)
    {
        CliPaths.CheckInputs((file, "--labels"));
        return file is null ? Taxonomy.Default : Taxonomy.Load(file.FullName);
    }
}
