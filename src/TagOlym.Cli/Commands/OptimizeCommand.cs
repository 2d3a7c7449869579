using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using TagOlym.Core.Learning;
using TagOlym.Core.Learning.Search;
using TagOlym.Core.Training;
using TagOlym.Core.Tracking;

namespace TagOlym.Cli.Commands;

/// <summary>
/// <c>tagolym optimize</c>: the anchor's two studies (preprocessing, n-grams, loss and penalty; then the learning-rate
/// schedule from the first study's best) with a TPE sampler, objective = validation weighted F1; writes the best
/// trial's arguments. Ctrl+C ends after the running trials and still writes the best so far; <c>--resume</c>
/// continues from the study files or the MLflow runs.
/// </summary>
internal static class OptimizeCommand
{
    public const string Name = "optimize";

    public static Command Create()
    {
        var args = new Option<FileInfo>("--args") { Description = "Base training arguments; the studies search over them", DefaultValueFactory = _ => new FileInfo("config/args.json") };
        var study = new Option<string>("--study") { Description = "Name of the studies: NAME-1 and NAME-2 (files NAME-k.json in --study-dir, parent runs of those names)", Required = true };
        var trials = new Option<int>("--trials") { Description = "Trials per study (two studies)", DefaultValueFactory = _ => 10 };
        var data = new Option<FileInfo>("--data") { Description = "Labeled posts (JSON array or JSON Lines, optionally gzip)", DefaultValueFactory = _ => new FileInfo("data/mse-sample.jsonl.gz") };
        var split = new Option<SplitMethod>("--split") { Description = "stratified (iterative, 70/15/15) or fixed (the benchmark split by id)", DefaultValueFactory = _ => SplitMethod.Stratified };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampler (the split and the learner use the arguments' seed)", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo?>("--out") { Description = "Where the best trial's arguments are written (default: --study-dir/NAME-best.json)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the studies from their files, else from their MLflow runs" };
        var sampler = new Option<string>("--sampler") { Description = "tpe (default) or random", DefaultValueFactory = _ => "tpe" };
        sampler.AcceptOnlyFromAmong("tpe", "random");
        var parallel = new Option<int?>("--parallel") { Description = "Trials at once (default: 2 when the machine has 2 cores and 8 GB free, else 1)" };
        var studyDir = new Option<DirectoryInfo>("--study-dir") { Description = "Where the study files are kept", DefaultValueFactory = _ => new DirectoryInfo("stores/studies") };
        var labels = CommonOptions.Labels();
        var rules = CommonOptions.Rules();
        var experiment = new Option<string>("--experiment") { Description = "Experiment of the runs (default: MLFLOW_EXPERIMENT_NAME, else tagolym)", DefaultValueFactory = _ => TrainingRuns.ExperimentFromEnvironment() };
        var noTrack = new Option<bool>("--no-track") { Description = "Do not log runs" };
        var trackingUri = CommonOptions.TrackingUri();
        var command = new Command(Name, "Search training arguments (TPE, two studies) and write the best trial's")
        {
            args, study, trials, data, split, seed, output, resume, sampler, parallel, studyDir, labels, rules, experiment, noTrack, trackingUri,
        };
        command.SetAction((parse, _) => CliErrors.RunAsync(async () =>
        {
            if (parse.GetValue(trials) < 1)
            {
                return CliErrors.Usage("--trials must be at least 1");
            }

            if (parse.GetValue(parallel) is < 1 or > 8)
            {
                return CliErrors.Usage("--parallel must be between 1 and 8");
            }

            var name = parse.GetValue(study)!;
            if (name.Length == 0 || name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) >= 0)
            {
                return CliErrors.Usage($"--study \"{name}\" must be a plain name (it names files)");
            }

            var dataFile = parse.GetValue(data)!;
            var directory = parse.GetValue(studyDir)!.FullName;
            var outPath = parse.GetValue(output)?.FullName ?? Path.Combine(directory, name + "-best.json");
            CliPaths.CheckInputs((dataFile, "--data"), (parse.GetValue(args), "--args"));
            CliPaths.CheckOutputs((new FileInfo(outPath), "--out"), (new FileInfo(Path.Combine(directory, name + "-1.json")), "--study-dir"));
            var baseArgs = TrainingArgs.Load(parse.GetValue(args)!.FullName);
            var request = new OptimizationRequest(baseArgs.ToJson(), name, parse.GetValue(trials), directory, outPath)
            {
                Seed = parse.GetValue(seed),
                RandomSearch = parse.GetValue(sampler) == "random",
                Parallelism = parse.GetValue(parallel) ?? DefaultParallelism(),
                Resume = parse.GetValue(resume),
                Settings = new Dictionary<string, string>
                {
                    ["data"] = dataFile.FullName,
                    ["split"] = parse.GetValue(split).ToString().ToLowerInvariant(),
                },
            };
            var evaluator = new TrialTraining(new TrainingRequest(dataFile.FullName, baseArgs)
            {
                Taxonomy = CommonOptions.LoadTaxonomy(parse.GetValue(labels)),
                Rules = CommonOptions.LoadRules(parse.GetValue(rules)),
                Split = parse.GetValue(split),
            });

            using var store = parse.GetValue(noTrack) ? null : TrackingStores.Open(parse.GetValue(trackingUri));
            var runs = store is null ? null : await StudyRuns.OpenAsync(store, parse.GetValue(experiment)!);
            using var stop = new CancellationTokenSource();
            using var interrupt = StopOnInterrupt(stop);
            Console.Error.WriteLine($"optimize: 2 studies x {request.TrialsPerStudy} trials on {dataFile.Name} ({request.Settings["split"]} split), {request.Parallelism} at once; Ctrl+C ends after the running trials");
            var result = await new ArgsOptimizer(evaluator, runs).RunAsync(request, new ProgressLines(), stop.Token);

            if (result.BestArgs is null)
            {
                Console.Error.WriteLine("tagolym: no trial completed, so no arguments were written");
                return CliErrors.Failure;
            }

            Console.WriteLine($"best validation weighted F1 {result.BestValue!.Value.ToString("F4", CultureInfo.InvariantCulture)} (study {result.BestStudy}, trial {result.BestTrial}){(result.Stopped ? ", stopped early" : "")}");
            Console.WriteLine(result.BestArgs.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"written to {outPath}; studies in {directory}{(store is null ? "" : $"; runs in {store.Location}")}");
            return result.Stopped ? 130 : 0;
        }));
        return command;
    }

    /// <summary>Two trials at once where two cores and 8 GB are free (a full-corpus trial peaks at up to about 2 GB).</summary>
    private static int DefaultParallelism() =>
        Environment.ProcessorCount >= 2 && GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >= 8L << 30 ? 2 : 1;

    /// <summary>The first Ctrl+C (or SIGTERM) stops the study after the running trials; a second one ends the process at once.</summary>
    private static Registrations StopOnInterrupt(CancellationTokenSource stop)
    {
        void Handle(PosixSignalContext context)
        {
            if (stop.IsCancellationRequested)
            {
                return; // the default: terminate
            }

            context.Cancel = true;
            Console.Error.WriteLine("optimize: stopping after the running trials (Ctrl+C again to abort)");
            stop.Cancel();
        }

        return new Registrations(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
    }

    private sealed class Registrations(params IDisposable[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    /// <summary>One plain line per trial start and end on stderr (readable in a log file as on a terminal).</summary>
    private sealed class ProgressLines : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value)
        {
            var parameters = string.Join(" ", value.Params.Select(p => $"{p.Key}={Format(p.Value)}"));
            if (value.Finished is not { } trial)
            {
                Console.Error.WriteLine($"[{value.Study}] trial {value.TrialNumber} started: {parameters}");
                return;
            }

            var outcome = trial.State == TrialState.Complete
                ? $"val F1 {trial.Value!.Value.ToString("F4", CultureInfo.InvariantCulture)}"
                : $"failed ({trial.Error})";
            var best = value.Best is { } b ? $"best {b.Value!.Value.ToString("F4", CultureInfo.InvariantCulture)} (trial {b.Number})" : "no best yet";
            Console.Error.WriteLine($"[{value.Study}] trial {trial.Number} ({trial.Number + 1}/{value.Trials}) done in {trial.Duration.TotalSeconds:F1} s: {outcome}; {best}");
        }

        private static string Format(System.Text.Json.Nodes.JsonNode? value) =>
            value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("G4", CultureInfo.InvariantCulture) : value?.ToJsonString().Trim('"') ?? "null";
    }
}
