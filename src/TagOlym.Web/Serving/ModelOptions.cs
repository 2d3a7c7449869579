namespace TagOlym.Web.Serving;

/// <summary>The <c>Model</c> section: where the served model comes from and how it is kept fresh.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>A registry URI (<c>models:/NAME@ALIAS</c>, <c>models:/NAME/VERSION</c>, <c>models:/NAME/latest</c>,
    /// <c>runs:/RUN_ID/model</c>, read from the store of <see cref="TrackingOptions.Uri"/>) or a model file path
    /// (relative paths are resolved against <see cref="ServicePaths.Base"/>).</summary>
    public string Path { get; set; } = "models:/tagolym@champion";

    /// <summary>The name of the model <c>/predict</c> and <c>/model</c> serve: a key of the <c>Models</c> section, or the
    /// name <see cref="Path"/> is served under (also at <c>/models/{Default}</c>).</summary>
    public string Default { get; set; } = "default";

    /// <summary>The name the service reports for a model file or a <c>runs:/</c> model; defaults to the file's name
    /// without extension, or the run's name. A registered model always reports its registered name.</summary>
    public string? Name { get; set; }

    /// <summary>How often the source is checked for a new model; zero turns polling off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A post every model must answer (finite scores, one per label) before it serves.</summary>
    public string ProbePost { get; set; } =
        "Prove that $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$ for every positive integer $n$.";

    public BootstrapOptions Bootstrap { get; set; } = new();
}

/// <summary>The <c>Model:Bootstrap</c> section: training a first model when the configured file does not exist, or the
/// registry has no version for the configured alias (or <c>latest</c>).</summary>
public sealed class BootstrapOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Labeled posts to train on (the repository ships a 3,000-post sample).</summary>
    public string Data { get; set; } = "data/mse-sample.jsonl.gz";

    /// <summary>Training arguments; when the file does not exist the built-in arguments are used.</summary>
    public string Args { get; set; } = "config/args_fast.json";
}
