namespace TagOlym.Core.Tracking;

/// <summary>
/// The commit checked out in the git work tree around a directory, read from <c>.git</c> as MLflow reads it (through
/// GitPython) for the <c>mlflow.source.git.commit</c> tag: <c>HEAD</c> is a commit id or a ref, found loose under
/// <c>refs/</c> or in <c>packed-refs</c>; a linked work tree's <c>.git</c> file points at its own git directory,
/// whose <c>commondir</c> holds the refs.
/// </summary>
public static class GitCommit
{
    /// <summary>The 40-hex-digit commit, or null outside a git work tree (or when HEAD names no commit yet).</summary>
    public static string? Of(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                return Resolve(dotGit);
            }

            if (File.Exists(dotGit) && File.ReadAllText(dotGit).Trim() is var pointer && pointer.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                var gitDirectory = pointer["gitdir:".Length..].Trim();
                return Resolve(Path.IsPathRooted(gitDirectory) ? gitDirectory : Path.Combine(dir.FullName, gitDirectory));
            }
        }

        return null;
    }

    private static string? Resolve(string gitDirectory)
    {
        var head = Path.Combine(gitDirectory, "HEAD");
        if (!File.Exists(head))
        {
            return null;
        }

        var text = File.ReadAllText(head).Trim();
        if (!text.StartsWith("ref:", StringComparison.Ordinal))
        {
            return IsCommit(text) ? text : null;
        }

        var reference = text["ref:".Length..].Trim();
        var common = Path.Combine(gitDirectory, "commondir") is var commonFile && File.Exists(commonFile)
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonFile).Trim()))
            : gitDirectory;
        foreach (var root in new[] { gitDirectory, common })
        {
            var loose = Path.Combine(root, reference);
            if (File.Exists(loose) && File.ReadAllText(loose).Trim() is var id && IsCommit(id))
            {
                return id;
            }
        }

        var packed = Path.Combine(common, "packed-refs");
        return File.Exists(packed)
            ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference && IsCommit(p[0]))?[0]
            : null;
    }

    private static bool IsCommit(string text) => text.Length == 40 && text.All(char.IsAsciiHexDigitLower);
}
