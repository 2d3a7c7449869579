namespace TagOlym.Web.Predict;

/// <summary>The <c>Predict</c> section: the limits of one <c>POST /predict</c> request.</summary>
public sealed class PredictOptions
{
    public const string Section = "Predict";

    public int MaxPosts { get; set; } = 256;

    public int MaxPostChars { get; set; } = 100_000;

    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;
}
