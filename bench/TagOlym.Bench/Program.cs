using TagOlym.Bench;

// Benchmarks that reproduce the README's figures: `dotnet run -c Release --project bench/TagOlym.Bench -- <name> [options]`.
// Each benchmark is one class with a static Run(string[] args) returning the exit code; add new ones here.
try
{
    return args.Length == 0
        ? Usage()
        : args[0] switch
        {
            "preprocess" => PreprocessBenchmark.Run(args[1..]),
            "train" => TrainBenchmark.Run(args[1..]),
            "train-one" => TrainBenchmark.RunOne(args[1..]),
            "predict" => PredictBenchmark.Run(args[1..]),
            "-h" or "--help" or "help" => Usage(),
            _ => Usage($"unknown benchmark '{args[0]}'"),
        };
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or FormatException or InvalidDataException
    or TagOlym.Core.Models.ModelFormatException or TagOlym.Core.Learning.TrainingArgsException)
{
    // a missing data file or model, a bad option: one line, as the CLI says it
    Console.Error.WriteLine($"TagOlym.Bench: {e.Message}");
    return 1;
}

static int Usage(string? error = null)
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine("""
        usage: TagOlym.Bench <benchmark> [options]

          preprocess [--data FILE] [--limit N]
              PostPreprocessor on one thread over the posts of a .jsonl.gz file (field post_canonical),
              with both option sets of the anchor, then on hostile inputs.
              FILE defaults to ../shared/data/mse-questions.jsonl.gz beside the repository root.

          train [--data FILE] [--args FILE] [--sizes 10000,30000,100000,all]
              the whole training pipeline (fixed split) on the first N posts, each size in a fresh process:
              time per stage, peak working set, model size, test F1. ARGS defaults to config/args_opt.json.

          predict --model FILE [--data FILE] [--batch N]
              model load time, batch posts/s over N test posts of the fixed split (preprocessing included),
              single-post latency p50/p99 on one thread, then the mean time of each step of scoring a post
              (preprocessing, title, TF-IDF, each member, the combiner), checked against the model's scores.
        """);
    return error is null ? 0 : 2;
}
