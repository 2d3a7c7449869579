using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Training;

/// <summary>
/// Step 7 of the flow, combine and calibrate: puts the members behind their combiner into the fitted scorer, and
/// chooses one decision threshold per label on the validation posts' scores (<see cref="ThresholdTuner"/>).
/// </summary>
public static class CalibrateStage
{
    /// <summary>The fitted scorer of the members: one member's scores as they are.</summary>
    public static PostScorer Combine(FeaturizedPosts features, IReadOnlyList<ScoringMember> members, TrainingArgs args)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(args);
        return new PostScorer(args.Preprocess, features.Vectorizer, members, SingleMemberCombiner.Instance);
    }

    /// <summary>Per label, the threshold that maximizes F1 on the validation scores (see <see cref="ThresholdOptions"/>).</summary>
    public static double[] Thresholds(double[][] validationScores, LabelMatrix validationTruth, TrainingArgs args)
    {
        ArgumentNullException.ThrowIfNull(validationScores);
        ArgumentNullException.ThrowIfNull(validationTruth);
        ArgumentNullException.ThrowIfNull(args);
        var thresholds = new double[validationTruth.Labels];
        var labelScores = new double[validationTruth.Rows];
        var labelTruth = new bool[validationTruth.Rows];
        for (var l = 0; l < thresholds.Length; l++)
        {
            for (var r = 0; r < validationTruth.Rows; r++)
            {
                labelScores[r] = validationScores[r][l];
                labelTruth[r] = validationTruth[r, l];
            }

            thresholds[l] = ThresholdTuner.Tune(labelScores, labelTruth, args.Sgd.Loss, args.Thresholds);
        }

        return thresholds;
    }
}
