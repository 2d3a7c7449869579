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

    public static ValidationRules LoadRules(FileInfo? file) => file is null ? ValidationRules.Default : ValidationRules.Load(file.FullName);

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress display (for scripts)" };

    public static Option<string?> TrackingUri() =>
        new("--tracking-uri") { Description = "MLflow tracking store: a directory (file store) or http(s)://server (default: MLFLOW_TRACKING_URI, else stores/model)" };

    /// <summary>The --model option: a model file or an MLflow model URI.</summary>
    public static Option<string> Model() =>
        new("--model") { Description = "The model: a file, or runs:/<run_id>/model, models:/<name>/<version>, models:/<name>@champion", Required = true };

    /// <summary>Where models downloaded from an MLflow server are kept (TAGOLYM_MODEL_CACHE, else stores/cache).</summary>
    public static string ModelCache =>
        Environment.GetEnvironmentVariable("TAGOLYM_MODEL_CACHE") is { Length: > 0 } cache ? cache : Path.Combine("stores", "cache");

    /// <summary>A local model file for a path or a model URI (resolved through the tracking store).</summary>
    public static async Task<string> ResolveModelAsync(string model, string? trackingUri, CancellationToken cancellationToken)
    {
        if (!ModelUri.IsModelUri(model))
        {
            return Path.GetFullPath(model);
        }

        using var store = TrackingStores.Open(trackingUri);
        return await new ModelUriResolver(store, ModelCache).ResolveAsync(model, cancellationToken);
    }

    public static Taxonomy LoadTaxonomy(FileInfo? file) => file is null ? Taxonomy.Default : Taxonomy.Load(file.FullName);
}
