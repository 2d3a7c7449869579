using TagOlym.Core.Data;
using System.CommandLine;
using TagOlym.Core.Labels;

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

    public static Taxonomy LoadTaxonomy(FileInfo? file) => file is null ? Taxonomy.Default : Taxonomy.Load(file.FullName);
}
