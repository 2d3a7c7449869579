namespace TagOlym.Core;

/// <summary>
/// Finds the clone TagOlym runs from: the folder holding <c>TagOlym.sln</c>, searched upward. The service resolves its
/// relative paths against it when run from a clone, and the tests and benchmarks find the configuration and the shared
/// data (<c>../shared</c> beside it) with it.
/// </summary>
public static class RepositoryRoot
{
    public const string Marker = "TagOlym.sln";

    /// <summary>The first folder at or above <paramref name="start"/> that holds <see cref="Marker"/>, or null.</summary>
    public static string? Find(string start)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
