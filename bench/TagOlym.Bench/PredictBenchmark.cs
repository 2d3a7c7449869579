using System.Diagnostics;
using TagOlym.Core.Data;
using TagOlym.Core.Models;
using TagOlym.Core.Text;

namespace TagOlym.Bench;

/// <summary>
/// Serving cost in process: loading a model, batch prediction (posts/s, preprocessing included) over the test
/// posts of the fixed split, single-post latency (p50/p99), one post at a time on one thread, and where a post's
/// time goes, step by step.
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
        return Steps(model, posts);
    }

    /// <summary>
    /// The mean time of each step of <see cref="PostScorer.Score"/>, timed in turn as it runs them, post after post
    /// on one thread (so each step meets the caches the others leave, as in serving): preprocessing, the title's,
    /// TF-IDF, each member, the combiner. The steps' scores are checked against <see cref="TagModel.Score"/>'s, bit
    /// for bit, so what is timed is the scoring path itself.
    /// </summary>
    private static int Steps(TagModel model, string[] posts)
    {
        var scorer = model.Scorer;
        var labels = scorer.LabelCount;
        var members = scorer.Members;
        var ticks = new long[4 + members.Count];
        var memberScores = new double[members.Count * labels];
        var scores = new double[labels];
        var expected = new double[labels];
        foreach (var post in posts)
        {
            var start = Stopwatch.GetTimestamp();
            var text = PostPreprocessor.Preprocess(post, scorer.Preprocess);
            var preprocessed = Stopwatch.GetTimestamp();
            var title = scorer.Features.HasTitle ? PostPreprocessor.PreprocessTitle(post, scorer.Preprocess) : "";
            var titled = Stopwatch.GetTimestamp();
            var features = scorer.Features.Transform(text, title);
            var featurized = Stopwatch.GetTimestamp();
            ticks[0] += preprocessed - start;
            ticks[1] += titled - preprocessed;
            ticks[2] += featurized - titled;
            for (var m = 0; m < members.Count; m++)
            {
                var before = Stopwatch.GetTimestamp();
                members[m].Score(features, memberScores.AsSpan(m * labels, labels));
                ticks[4 + m] += Stopwatch.GetTimestamp() - before;
            }

            var combining = Stopwatch.GetTimestamp();
            scorer.Combiner.Combine(memberScores, members.Count, scores);
            ticks[3] += Stopwatch.GetTimestamp() - combining;
            model.Score(post, expected);
            if (!scores.AsSpan().SequenceEqual(expected))
            {
                Console.Error.WriteLine("TagOlym.Bench: the steps' scores differ from the model's: the step list no longer matches PostScorer.Score");
                return 1;
            }
        }

        string Mean(long t) => $"{Stopwatch.GetElapsedTime(0, t).TotalMicroseconds / posts.Length:F1} us";
        var memberSteps = string.Join(", ", members.Select((m, i) => $"{m.Name} {Mean(ticks[4 + i])}"));
        Console.WriteLine(
            $"steps of a post, one thread, mean: preprocess {Mean(ticks[0])}, title {Mean(ticks[1])}, TF-IDF {Mean(ticks[2])}, " +
            $"members: {memberSteps}; combiner ({scorer.Combiner.Kind}) {Mean(ticks[3])}; total {Mean(ticks.Sum())}");
        return 0;
    }
}
