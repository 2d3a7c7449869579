using System.CommandLine;
using TagOlym.Core.Labels;

namespace TagOlym.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Labels() =>
        new("--labels") { Description = "Taxonomy file (raw tag -> labels); default: the built-in 10-label taxonomy (config/labels.json)" };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress display (for scripts)" };

    public static Taxonomy LoadTaxonomy(FileInfo? file) => file is null ? Taxonomy.Default : Taxonomy.Load(file.FullName);
}
