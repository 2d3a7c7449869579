using System.Text;
using System.Text.RegularExpressions;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Tracking;

/// <summary>
/// The stores MLflow 2.9.2 wrote to disk, as recorded in <c>golden/mlflow/filestore-layout.txt</c>: each store's
/// tree (directories and files) and every file's exact content.
/// </summary>
public sealed partial class RecordedFileStore
{
    public required string Root { get; init; }

    /// <summary>Paths relative to the root, '/'-separated; directories end with '/'.</summary>
    public required IReadOnlyList<string> Tree { get; init; }

    public required IReadOnlyDictionary<string, string> Files { get; init; }

    public static IReadOnlyDictionary<string, RecordedFileStore> Load()
    {
        var lines = File.ReadAllText(SharedData.Path("data", "golden", "mlflow", "filestore-layout.txt")).Split('\n');
        var stores = new Dictionary<string, RecordedFileStore>();
        for (var i = 0; i < lines.Length; i++)
        {
            var tree = TreeHeader().Match(lines[i]);
            if (!tree.Success)
            {
                continue;
            }

            var root = tree.Groups[1].Value.Trim();
            var entries = new List<string>();
            var files = new Dictionary<string, string>();
            for (i += 2; i < lines.Length && !TreeHeader().IsMatch(lines[i]) && !lines[i].StartsWith("=====", StringComparison.Ordinal); i++)
            {
                if (TreeEntry().Match(lines[i]) is { Success: true } entry && entry.Groups[2].Value != "./")
                {
                    entries.Add(entry.Groups[2].Value[2..]);
                }
                else if (FileHeader().Match(lines[i]) is { Success: true } file)
                {
                    // the recorded byte counts of file:// contents are off (the paths were shortened in the dump):
                    // the content is the lines up to the next header, without the blank separator lines
                    var content = new StringBuilder();
                    for (var j = i + 1; j < lines.Length && !lines[j].StartsWith("----- FILE:", StringComparison.Ordinal)
                        && !lines[j].StartsWith("#####", StringComparison.Ordinal) && !lines[j].StartsWith("=====", StringComparison.Ordinal); j++)
                    {
                        content.Append(lines[j]).Append('\n');
                    }

                    var text = content.ToString().TrimEnd('\n');
                    files[file.Groups[1].Value[2..]] = text.EndsWith("<EOF, no trailing newline>", StringComparison.Ordinal)
                        ? text[..^"<EOF, no trailing newline>".Length]
                        : text + "\n";
                }
            }

            i--;
            stores[root] = new RecordedFileStore { Root = root, Tree = entries, Files = files };
        }

        return stores;
    }

    /// <summary>Writes the recorded store into <paramref name="directory"/>, its root path replaced by the directory's.</summary>
    public void WriteTo(string directory)
    {
        foreach (var entry in Tree.Where(e => e.EndsWith('/')))
        {
            Directory.CreateDirectory(Path.Combine(directory, entry));
        }

        var uri = new Uri(directory).AbsoluteUri;
        foreach (var (path, content) in Files)
        {
            File.WriteAllText(Path.Combine(directory, path), content.Replace("file://" + Root, uri, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"^# TREE: (.+)$")]
    private static partial Regex TreeHeader();

    [GeneratedRegex(@"^([df])  (\S+)")]
    private static partial Regex TreeEntry();

    [GeneratedRegex(@"^----- FILE: (\S+) \(")]
    private static partial Regex FileHeader();
}
