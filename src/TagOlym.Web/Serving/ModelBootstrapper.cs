using System.Diagnostics;
using Microsoft.Extensions.Options;
using TagOlym.Core.Learning;

namespace TagOlym.Web.Serving;

/// <summary>
/// First run on a fresh clone: when the configured model file does not exist, trains one from the shipped sample
/// (<c>Model:Bootstrap:Data</c>) with <c>Model:Bootstrap:Args</c> (or the built-in arguments), saves it, and says so.
/// </summary>
public sealed partial class ModelBootstrapper(
    IModelSource source,
    ServicePaths paths,
    IOptions<ModelOptions> options,
    ILogger<ModelBootstrapper> logger)
{
    /// <summary>The arguments of <c>config/args_best.json</c>, used when that file is not there.</summary>
    public const string BuiltInArgs = """
        {"nocommand": false, "stem": true, "title_weight": 2, "ngram_max": 2, "min_df": 2, "sublinear_tf": true,
         "loss": "log_loss", "alpha": 3e-6, "l1_ratio": 0.0, "learning_rate": "optimal", "class_weight": null,
         "early_stopping": false, "max_iter": 25, "tol": null, "average": true}
        """;

    /// <summary>Trains and saves a model when the source is a missing model file and bootstrapping is on; true when it did.</summary>
    public bool EnsureModel(CancellationToken cancellationToken)
    {
        var settings = options.Value.Bootstrap;
        if (!settings.Enabled || source is not FileModelSource file || File.Exists(file.FullPath))
        {
            return false;
        }

        var data = paths.Resolve(settings.Data);
        if (!File.Exists(data))
        {
            LogNoSample(file.FullPath, data);
            return false;
        }

        var argsPath = paths.Resolve(settings.Args);
        var args = File.Exists(argsPath) ? TrainingArgs.Load(argsPath) : TrainingArgs.Parse(BuiltInArgs, "built-in arguments");
        LogTraining(file.FullPath, data, File.Exists(argsPath) ? argsPath : "built-in arguments");
        var watch = Stopwatch.StartNew();
        var result = TrainingPipeline.Train(new TrainingRequest(data, args) { Split = SplitMethod.Stratified }, cancellationToken: cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(file.FullPath)!);
        result.Model.Save(file.FullPath);
        var testF1 = result.Metrics.TryGetValue("test", out var test) ? test.Overall.F1 : double.NaN;
        LogTrained(file.FullPath, result.Model.Manifest.TrainingRows, testF1, watch.Elapsed.TotalSeconds);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No model file at {ModelPath} and no sample data at {SampleData} to train one: the service is not ready until a model appears")]
    private partial void LogNoSample(string modelPath, string sampleData);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No model file at {ModelPath}: training a first model from the sample {SampleData} with {TrainingArgs}")]
    private partial void LogTraining(string modelPath, string sampleData, string trainingArgs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trained a first model on {TrainingRows} posts (test weighted F1 {TestF1:0.000}) in {Seconds:0.0} s and saved it to {ModelPath}")]
    private partial void LogTrained(string modelPath, int trainingRows, double testF1, double seconds);
}
