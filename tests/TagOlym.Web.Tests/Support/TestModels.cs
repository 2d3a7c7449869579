using System.IO.Compression;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;
using TagOlym.Core.Tests.Support;
using TagOlym.Core.Training;

namespace TagOlym.Web.Tests.Support;

/// <summary>
/// Two small real models, trained once per test run on different cuts of mse-questions (posts 0-2,999 and
/// 3,000-5,999), so they differ in version and in scores; and a file that is not a model.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<Trained> Models = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => Models.Value.Directory;

    /// <summary>The first model file; copy it before serving it (tests overwrite their own copies).</summary>
    public static string A => Models.Value.A;

    public static string B => Models.Value.B;

    /// <summary>1,500 labeled posts, as plain JSON Lines, for the bootstrap test.</summary>
    public static string SmallSample => Models.Value.SmallSample;

    /// <summary>The trainings of A and B (model, metrics) and their arguments, to log them as tracked runs.</summary>
    public static TrainingResult ResultA => Models.Value.ResultA;

    public static TrainingResult ResultB => Models.Value.ResultB;

    public static TrainingArgs Args => Models.Value.Args;

    public static TagModel LoadA() => TagModel.Load(A);

    public static TagModel LoadB() => TagModel.Load(B);

    /// <summary>Real posts from beyond the training cuts, in file order.</summary>
    public static IReadOnlyList<string> Posts => Models.Value.Posts;

    /// <summary>A fresh folder for one test's files.</summary>
    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "tagolym-web-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A copy of a model file in a fresh folder.</summary>
    public static string CopyOf(string model)
    {
        var path = Path.Combine(TemporaryDirectory(), "tagolym.model");
        File.Copy(model, path);
        return path;
    }

    /// <summary>Replaces <paramref name="target"/> by <paramref name="source"/> at once (copy beside, then rename), as a deployment would.</summary>
    public static void Replace(string target, string source)
    {
        var staging = target + ".staging";
        File.Copy(source, staging, overwrite: true);
        File.Move(staging, target, overwrite: true);
    }

    private sealed record Trained(
        string Directory, string A, string B, string SmallSample, IReadOnlyList<string> Posts, TrainingResult ResultA, TrainingResult ResultB, TrainingArgs Args);

    private static Trained Train()
    {
        var directory = TemporaryDirectory();
        var lines = new List<string>();
        using (var input = new StreamReader(new GZipStream(File.OpenRead(SharedData.Path("data", "mse-questions.jsonl.gz")), CompressionMode.Decompress)))
        {
            while (lines.Count < 6500 && input.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }

        var args = TrainingArgs.Load(SharedData.RepositoryPath("config", "args_best.json"));
        (string Model, TrainingResult Result) TrainOn(string name, IEnumerable<string> rows)
        {
            var data = Path.Combine(directory, name + ".jsonl");
            File.WriteAllLines(data, rows);
            var model = Path.Combine(directory, name + ".model");
            var result = TrainingFlow.Train(new TrainingRequest(data, args) { Split = SplitMethod.Stratified });
            result.Model.Save(model);
            return (model, result);
        }

        var a = TrainOn("a", lines.Take(3000));
        var b = TrainOn("b", lines.Skip(3000).Take(3000));
        var sample = Path.Combine(directory, "sample.jsonl");
        File.WriteAllLines(sample, lines.Take(1500));
        var posts = lines.Skip(6000).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("post_canonical").GetString()!).ToArray();
        return new Trained(directory, a.Model, b.Model, sample, posts, a.Result, b.Result, args);
    }
}
