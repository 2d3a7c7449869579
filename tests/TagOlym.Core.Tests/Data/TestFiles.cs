using System.IO.Compression;
using System.Text;

namespace TagOlym.Core.Tests.Data;

/// <summary>Repository files (config/) and throw-away files for the data and label tests.</summary>
internal static class TestFiles
{
    /// <summary>A file of the repository, e.g. <c>Repo("config", "labels.json")</c>.</summary>
    public static string Repo(params string[] parts) => Support.SharedData.RepositoryPath(parts);

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }
}

/// <summary>A temporary folder, deleted with its files on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tagolym-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
