using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TagOlym.Core.Text;
using static TagOlym.Bench.BenchSupport;
using static TagOlym.Core.Tests.Support.HostileInputs;

namespace TagOlym.Bench;

/// <summary>
/// <see cref="PostPreprocessor"/> on one thread: throughput and per-post latency over the real posts with the
/// anchor's two option sets, then the time per KiB of each hostile input.
/// </summary>
internal static class PreprocessBenchmark
{
    private static readonly (string Name, PreprocessOptions Options)[] OptionSets =
    [
        ("nocommand=false stem=false", new(NoCommand: false, Stem: false)),
        ("nocommand=true  stem=true ", new(NoCommand: true, Stem: true)),
    ];

    public static int Run(string[] args)
    {
        var data = Option(args, "--data") ?? SharedDataFile("mse-questions.jsonl.gz");
        var limit = Option(args, "--limit") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : int.MaxValue;
        if (!File.Exists(data))
        {
            Console.Error.WriteLine($"no data file at {data}; pass --data FILE");
            return 1;
        }

        Console.WriteLine($"preprocess benchmark: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
                          $"{Environment.ProcessorCount} cores, one thread");

        var load = Stopwatch.StartNew();
        var posts = ReadField(data, "post_canonical").Take(limit).ToList();
        load.Stop();
        var bytes = posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p));
        Console.WriteLine($"data: {data}");
        Console.WriteLine($"      {posts.Count:N0} posts, {Format(bytes / 1e6)} MB of UTF-8, mean {Format((double)bytes / posts.Count, 0)} bytes a post " +
                          $"(read and parsed in {Format(load.Elapsed.TotalSeconds, 2)} s)");

        // warm-up: let the tiered JIT settle on the hot path
        foreach (var (_, options) in OptionSets)
        {
            foreach (var post in posts.Take(5_000))
            {
                PostPreprocessor.Preprocess(post, options);
            }
        }

        Console.WriteLine();
        Console.WriteLine("options                      posts/s      MB/s   p50 us   p99 us   max us  alloc B/post");
        foreach (var (name, options) in OptionSets)
        {
            MeasureCorpus(name, options, posts, bytes);
        }

        Console.WriteLine();
        Console.WriteLine("hostile input (nocommand=true stem=true)              size     time ms   us per KiB");
        foreach (var (name, post) in HostileInputs())
        {
            MeasureHostile(name, post, OptionSets[1].Options);
        }

        return 0;
    }

    private static void MeasureCorpus(string name, PreprocessOptions options, List<string> posts, long bytes)
    {
        var ticks = new long[posts.Count];
        long outputChars = 0;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pausedBefore = GC.GetTotalPauseDuration();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < posts.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var output = PostPreprocessor.Preprocess(posts[i], options);
            ticks[i] = Stopwatch.GetTimestamp() - start;
            outputChars += output.Length;
        }

        total.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var collections = (GC.CollectionCount(0) - collectionsBefore.Item1, GC.CollectionCount(1) - collectionsBefore.Item2,
            GC.CollectionCount(2) - collectionsBefore.Item3);
        var paused = GC.GetTotalPauseDuration() - pausedBefore;

        var slowest = Array.IndexOf(ticks, ticks.Max());
        var sorted = ticks.Order().ToArray();
        static double Micro(long t) => t * 1e6 / Stopwatch.Frequency;
        var seconds = total.Elapsed.TotalSeconds;
        Console.WriteLine(
            $"{name}  {Format(posts.Count / seconds, 0),9}  {Format(bytes / 1e6 / seconds),8}  " +
            $"{Format(Micro(sorted[sorted.Length / 2])),7}  {Format(Micro(sorted[(int)(sorted.Length * 0.99)])),7}  " +
            $"{Format(Micro(sorted[^1])),7}  {Format((double)allocated / posts.Count, 0),12}");

        // The 20 slowest posts and the longest one again, each alone (best of 5): a maximum far above these is a
        // pause of the machine or of the collector, not the cost of a post.
        var longest = Enumerable.Range(0, posts.Count).MaxBy(i => posts[i].Length);
        var suspects = Enumerable.Range(0, posts.Count).OrderByDescending(i => ticks[i]).Take(20).Append(longest);
        var (worst, worstTicks) = suspects
            .Select(i => (Index: i, Ticks: BestOf(5, () => PostPreprocessor.Preprocess(posts[i], options))))
            .MaxBy(p => p.Ticks);

        Console.WriteLine(
            $"    {Format(seconds, 2)} s in all, {outputChars:N0} output chars, GCs gen0/1/2: " +
            $"{collections.Item1}/{collections.Item2}/{collections.Item3} pausing {Format(paused.TotalMilliseconds)} ms; slowest in the run: post #{slowest} " +
            $"({posts[slowest].Length:N0} chars)");
        Console.WriteLine(
            $"    timed again alone, the 20 slowest and the longest post ({posts[longest].Length:N0} chars): " +
            $"at most {Format(Micro(worstTicks))} us (post #{worst}, {posts[worst].Length:N0} chars)");
    }

    private static long BestOf(int runs, Action action)
    {
        var best = long.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetTimestamp() - start);
        }

        return best;
    }

    private static void MeasureHostile(string name, string post, PreprocessOptions options)
    {
        PostPreprocessor.Preprocess(post, options); // warm
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            PostPreprocessor.Preprocess(post, options);
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        var kib = post.Length / 1024.0;
        Console.WriteLine($"{name,-50} {Format(kib, 0),6} KiB  {Format(best, 2),9}  {Format(best * 1000 / kib, 2),11}");
    }

    /// <summary>The inputs of the hostile-input tests, at about a mebibyte each.</summary>
    internal static IEnumerable<(string Name, string Post)> HostileInputs()
    {
        const int megabyte = 1 << 20;
        yield return ("1 MiB of $", new string('$', megabyte));
        yield return ("unbalanced single dollars ($x $x $x ...)", Repeat("$x ", megabyte) + "$");
        yield return ("unclosed $$ before single-dollar regions", "$$" + Repeat(" $y$ z", megabyte));
        yield return (@"\begin{x} repeated, no \end", Repeat(@"\begin{x}", megabyte));
        yield return (@"\begin{x} repeated, one \end at the end", Repeat(@"\begin{x}", megabyte) + @"\end");
        yield return (@"\[ nested 100,000 deep, no closer", Repeat(@"\[", 200_000));
        yield return (@"\[\alpha nested 100,000 deep, closed", Repeat(@"\[\alpha", 800_000) + Repeat(@"\]", 200_000));
        yield return ("100,000 backslashes then $x$", new string('\\', 100_000) + "$x$");
        yield return ("1 MiB of backslashes", new string('\\', megabyte));
        yield return ("lone surrogates, backslashes and dollars", Repeat("\uDC00\\\uD800$", megabyte));
        yield return ("1 MiB of NUL", new string('\0', megabyte));
        yield return ("1 MiB of [asy] without [/asy]", Repeat("[asy] x ", megabyte));
        yield return ("1 MiB of http", Repeat("http", megabyte));

        yield return ("1 MiB mixing all of these", Mixed(megabyte));
    }
}
