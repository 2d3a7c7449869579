using System.IO.Compression;
using System.Text.Json;

namespace TagOlym.Bench;

/// <summary>What every benchmark needs: the repository root, command-line options, the corpora.</summary>
internal static class BenchSupport
{
    /// <summary>The folder holding <c>TagOlym.sln</c>, searched upward from the working directory, then from the program.</summary>
    public static string RepositoryRoot() =>
        Core.RepositoryRoot.Find(Environment.CurrentDirectory) ?? Core.RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("TagOlym.sln was not found above the working directory or the program.");

    /// <summary><c>../shared/data/NAME</c> beside the repository root.</summary>
    public static string SharedDataFile(string name) =>
        Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", name));

    /// <summary>The value after <paramref name="name"/> (e.g. <c>--data</c>), or null when absent.</summary>
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
    }

    /// <summary>Streams one string field of every line of a JSON Lines file, gzip-compressed or not.</summary>
    public static IEnumerable<string> ReadField(string path, string field)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
            {
                yield return value.GetString()!;
            }
        }
    }

    public static string Format(double value, int decimals = 1) => value.ToString($"N{decimals}", System.Globalization.CultureInfo.InvariantCulture);
}
