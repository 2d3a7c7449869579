using System.IO.Compression;

namespace TagOlym.Core.Tests.Support;

/// <summary>Small labeled files cut from the real corpora, written once per test run into a temporary folder.</summary>
public static class SampleData
{
    private static readonly Lazy<string> MseSample = new(() => Cut("mse-questions.jsonl.gz", 4000, "mse-sample.jsonl"));

    /// <summary>The first 4,000 Math Stack Exchange questions, as plain JSON Lines.</summary>
    public static string Mse => MseSample.Value;

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "tagolym-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Cut(string corpus, int rows, string name)
    {
        var path = Path.Combine(TemporaryDirectory(), name);
        using var input = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("data", corpus)), CompressionMode.Decompress));
        using var output = new StreamWriter(path);
        for (var i = 0; i < rows && input.ReadLine() is { } line; i++)
        {
            output.WriteLine(line);
        }

        return path;
    }
}
