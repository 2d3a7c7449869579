namespace TagOlym.Core.Tests.Support;

/// <summary>Finds the team's shared data folder, which sits next to the repository root as <c>../shared</c>.</summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>The absolute path of a file below <c>shared/</c>, e.g. <c>Path("data", "mse-questions.jsonl.gz")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TAGOLYM_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "TagOlym.sln")))
            {
                var shared = System.IO.Path.Combine(dir.Parent!.FullName, "shared");
                if (Directory.Exists(shared))
                {
                    return shared;
                }
            }
        }

        throw new DirectoryNotFoundException(
            "The shared data folder was not found next to the repository root; set TAGOLYM_SHARED to its path.");
    }
}
