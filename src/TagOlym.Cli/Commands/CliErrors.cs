using System.Text.Json;
using Spectre.Console;
using TagOlym.Core.Data;
using TagOlym.Core.Data.BigQuery;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;
using TagOlym.Core.Models;
using TagOlym.Core.Tracking;

namespace TagOlym.Cli.Commands;

/// <summary>Turns the failures a user can cause into one clear line on stderr and a non-zero exit code.</summary>
internal static class CliErrors
{
    public const int Failure = 1;

    /// <summary>The exit code of a command line that does not parse or makes no sense.</summary>
    public const int UsageExitCode = 2;

    public static int Run(Func<int> action) => RunAsync(() => Task.FromResult(action())).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (BigQueryException e)
        {
            Report(e.Message);
            return Failure;
        }
        catch (MlflowException e)
        {
            Report($"tracking: {e.Message}");
            return Failure;
        }
        catch (HttpRequestException e)
        {
            Report($"tracking server unreachable: {e.Message}");
            return Failure;
        }
        catch (NotSupportedException e)
        {
            Report(e.Message);
            return Failure;
        }
        catch (DataValidationException e)
        {
            Report($"the data did not pass validation: {e.Message}");
            foreach (var finding in e.Report.Errors)
            {
                Report($"  {finding.Code}: {finding.Message}");
            }

            return Failure;
        }
        catch (CliPathException e)
        {
            Report(e.Message);
            return Failure;
        }
        catch (FileNotFoundException e) when (e.FileName is not null)
        {
            // Core names missing files in several ways; the command line says it one way
            Report($"cannot read {Path.GetFullPath(e.FileName)}: {CliPaths.Reason(e)}");
            return Failure;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or TrainingArgsException
            or TaxonomyFormatException or ModelFormatException or StudyFileException or InvalidDataException or JsonException
            or UnauthorizedAccessException or IOException or ArgumentException)
        {
            Report(e.Message);
            return Failure;
        }
        catch (OutOfMemoryException)
        {
            Report("out of memory: train on less data, or shrink the vocabulary with min_df, max_features or a lower ngram_max");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            Report("cancelled");
            return 130;
        }
    }

    public static int Usage(string message)
    {
        Report(message);
        return UsageExitCode;
    }

    private static void Report(string message) =>
        Console.Error.WriteLine($"tagolym: {message}");
}
