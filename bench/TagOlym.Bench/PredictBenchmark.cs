using System.Diagnostics;
using TagOlym.Core.Data;
using TagOlym.Core.Models;

namespace TagOlym.Bench;

/// <summary>
/// Serving cost in process: loading a model, batch prediction (posts/s, preprocessing included) over the test
/// posts of the fixed split, and single-post latency (p50/p99), one post at a time on one thread.
/// </summary>
internal static class PredictBenchmark
{
    public static int Run(string[] args)
    {
        var modelPath = BenchSupport.Option(args, "--model") ?? throw new ArgumentException("--model FILE is required (train one with tagolym train)");
        var data = BenchSupport.Option(args, "--data") ?? BenchSupport.SharedDataFile("mse-questions.jsonl.gz");
        var batchSize = int.Parse(BenchSupport.Option(args, "--batch") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);

        var clock = Stopwatch.StartNew();
        var model = TagModel.Load(modelPath);
        var load = clock.Elapsed;
        var suggester = new TagSuggester(model);
        var posts = PostReader.ReadAll(data)
            .Where(r => r.HasPost && BenchmarkSplit.PartOf(r.Id) == SplitPart.Test)
            .Select(r => r.Post!)
            .Take(batchSize)
            .ToArray();

        Console.WriteLine($"predict benchmark: {Path.GetFileName(modelPath)} ({new FileInfo(modelPath).Length / 1e6:F1} MB, {model.Manifest.FeatureCount:N0} features), {Environment.ProcessorCount} cores");
        Console.WriteLine($"load: {load.TotalSeconds:F2} s");

        suggester.Suggest(posts.Take(500).ToArray());
        clock.Restart();
        suggester.Suggest(posts);
        Console.WriteLine($"batch of {posts.Length:N0} test posts, all cores: {posts.Length / clock.Elapsed.TotalSeconds:N0} posts/s (preprocessing included)");

        var latencies = new double[posts.Length];
        for (var i = 0; i < posts.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            suggester.Suggest(posts[i]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(latencies);
        Console.WriteLine($"single post, one thread: p50 {latencies[latencies.Length / 2]:F0} us, p99 {latencies[(int)(latencies.Length * 0.99)]:F0} us, max {latencies[^1]:F0} us; {posts.Length / (latencies.Sum() / 1e6):N0} posts/s");
        return 0;
    }
}
