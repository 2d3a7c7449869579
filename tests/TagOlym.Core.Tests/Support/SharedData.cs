namespace TagOlym.Core.Tests.Support;

/// <summary>Finds the team's shared data folder, which sits next to the repository root as <c>../shared</c>.</summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(Locate);
    private static readonly Lazy<string> Repository = new(LocateRepository);

    /// <summary>The absolute path of a file below <c>shared/</c>, e.g. <c>Path("data", "mse-questions.jsonl.gz")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    /// <summary>The absolute path of a file of this repository, e.g. <c>RepositoryPath("config", "args.json")</c>.</summary>
    public static string RepositoryPath(params string[] parts) => System.IO.Path.Combine([Repository.Value, .. parts]);

    private static string LocateRepository() =>
        RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("the tests do not run below the repository (no TagOlym.sln above them)");

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TAGOLYM_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var shared = System.IO.Path.Combine(Directory.GetParent(LocateRepository())!.FullName, "shared");
        return Directory.Exists(shared) ? shared : throw new DirectoryNotFoundException(
            "The shared data folder was not found next to the repository root; set TAGOLYM_SHARED to its path.");
    }
}
