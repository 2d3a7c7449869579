namespace TagOlym.Cli.Commands;

/// <summary>
/// Checks the files a command reads and writes before it does any work, with one wording for each failure:
/// <c>cannot read PATH (--option): no such file</c>, <c>cannot write PATH (--option): permission denied</c>.
/// </summary>
internal static class CliPaths
{
    /// <summary>Fails unless every given file exists and can be opened for reading.</summary>
    public static void CheckInputs(params (FileInfo? File, string Option)[] inputs)
    {
        foreach (var (file, option) in inputs)
        {
            if (file is null)
            {
                continue;
            }

            var path = file.FullName;
            if (Directory.Exists(path))
            {
                throw new CliPathException($"cannot read {path} ({option}): it is a directory");
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliPathException($"cannot read {path} ({option}): {Reason(e)}", e);
            }
        }
    }

    /// <summary>
    /// Fails unless a new file can be written where each given file goes: its directory exists or can be created and
    /// takes a new file, and the path is not a directory. Nothing is left behind but the directory.
    /// </summary>
    public static void CheckOutputs(params (FileInfo? File, string Option)[] outputs)
    {
        foreach (var (file, option) in outputs)
        {
            if (file is null)
            {
                continue;
            }

            var path = file.FullName;
            if (Directory.Exists(path))
            {
                throw new CliPathException($"cannot write {path} ({option}): it is a directory");
            }

            try
            {
                var directory = Path.GetDirectoryName(path)!;
                Directory.CreateDirectory(directory);
                var probe = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.probe");
                using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliPathException($"cannot write {path} ({option}): {Reason(e)}", e);
            }
        }
    }

    /// <summary>Why a file could not be opened, in a few words that name no temporary file and no .NET type.</summary>
    public static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        _ when e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => "read-only file system",
        _ when e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "no space left on the device",
        _ => "the file system refused it",
    };
}

/// <summary>A file given on the command line cannot be read or written; the message says which, where and why.</summary>
internal sealed class CliPathException(string message, Exception? inner = null) : Exception(message, inner);
