namespace TagOlym.Core.Features;

/// <summary>The settings of the TF-IDF featurizer; the defaults are scikit-learn's <c>TfidfVectorizer</c> defaults.</summary>
/// <param name="NgramMax">Word n-grams of 1 to this many tokens (1..4).</param>
/// <param name="MinDf">Keep only n-grams that occur in at least this many training posts.</param>
/// <param name="MaxFeatures">Keep only this many n-grams, the most frequent over the training posts; null keeps all.</param>
/// <param name="SublinearTf">Use <c>1 + ln(tf)</c> instead of the raw count.</param>
public sealed record TfidfOptions(int NgramMax = 1, int MinDf = 1, int? MaxFeatures = null, bool SublinearTf = false)
{
    public const int LongestNgram = 4;

    public void Validate()
    {
        if (NgramMax is < 1 or > LongestNgram)
        {
            throw new ArgumentOutOfRangeException(nameof(NgramMax), NgramMax, $"ngram_max must be between 1 and {LongestNgram}");
        }

        if (MinDf < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinDf), MinDf, "min_df must be at least 1");
        }

        if (MaxFeatures is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFeatures), MaxFeatures, "max_features must be at least 1");
        }
    }
}
