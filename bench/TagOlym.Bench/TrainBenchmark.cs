using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using TagOlym.Core.Learning;
using TagOlym.Core.Training;

namespace TagOlym.Bench;

/// <summary>
/// How training cost grows with data: the whole pipeline on the first N posts of the corpus, each size in a
/// fresh process (so its peak working set is its own), on the fixed benchmark split.
/// </summary>
internal static class TrainBenchmark
{
    public static int Run(string[] args)
    {
        var data = BenchSupport.Option(args, "--data") ?? BenchSupport.SharedDataFile("mse-questions.jsonl.gz");
        var argsFile = BenchSupport.Option(args, "--args") ?? Path.Combine(BenchSupport.RepositoryRoot(), "config", "args_opt.json");
        var sizes = (BenchSupport.Option(args, "--sizes") ?? "10000,30000,100000,all").Split(',');

        Console.WriteLine($"train benchmark: {Environment.ProcessorCount} cores, {Path.GetFileName(argsFile)}, fixed split, data {data}");
        Console.WriteLine($"{"posts",8} {"features",11} {"total s",8} {"peak MB",8} {"model MB",9} {"test F1",8} {"micro F1",9}  stages (s)");
        var failed = 0;
        foreach (var size in sizes)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { typeof(TrainBenchmark).Assembly.Location, "train-one", "--data", data, "--args", argsFile, "--rows", size })
            {
                start.ArgumentList.Add(arg);
            }

            using var child = Process.Start(start)!;
            var line = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            Console.WriteLine(child.ExitCode == 0 ? line : $"{size,8} failed with exit code {child.ExitCode}");
            failed += child.ExitCode == 0 ? 0 : 1;
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>One size, in this process: prints one row of the table.</summary>
    public static int RunOne(string[] args)
    {
        var data = BenchSupport.Option(args, "--data")!;
        var rows = BenchSupport.Option(args, "--rows")!;
        var trainingArgs = TrainingArgs.Load(BenchSupport.Option(args, "--args")!);
        var work = Path.Combine(Path.GetTempPath(), $"tagolym-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            var path = rows == "all" ? data : Cut(data, int.Parse(rows, CultureInfo.InvariantCulture), work);
            var clock = Stopwatch.StartNew();
            var result = TrainingFlow.Train(new TrainingRequest(path, trainingArgs) { Split = SplitMethod.Fixed });
            var modelPath = Path.Combine(work, "model.tagolym");
            result.Model.Save(modelPath);
            var total = clock.Elapsed.TotalSeconds;
            using var process = Process.GetCurrentProcess();
            var posts = result.SplitSizes.Values.Sum();
            var stages = string.Join(" ", result.Timings.Select(t => $"{t.Stage} {t.Elapsed.TotalSeconds:F1}"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{posts,8} {result.Model.Manifest.FeatureCount,11:N0} {total,8:F1} {process.PeakWorkingSet64 >> 20,8} {new FileInfo(modelPath).Length / 1e6,9:F1} {result.Metrics["test"].Overall.F1,8:F3} {result.Metrics["test"].Micro.F1,9:F3}  {stages}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Cut(string data, int rows, string work)
    {
        var path = Path.Combine(work, "data.jsonl");
        using var input = new StreamReader(new GZipStream(File.OpenRead(data), CompressionMode.Decompress));
        using var output = new StreamWriter(path);
        for (var i = 0; i < rows && input.ReadLine() is { } line; i++)
        {
            output.WriteLine(line);
        }

        return path;
    }
}
