namespace TagOlym.Core.Learning;

/// <summary>The loss an SGD classifier minimizes; each has its own mapping from margin to score.</summary>
public enum SgdLoss
{
    /// <summary>Linear SVM; no probability, so its score is the margin itself.</summary>
    Hinge,

    /// <summary>Logistic regression; score = sigmoid(margin).</summary>
    LogLoss,

    /// <summary>Smoothed hinge; score = (clip(margin, -1, 1) + 1) / 2.</summary>
    ModifiedHuber,
}

/// <summary>How the step size <c>eta</c> changes with the step count <c>t</c>, as scikit-learn defines them.</summary>
public enum LearningRateSchedule
{
    /// <summary><c>eta = 1 / (alpha (t0 + t - 1))</c>, with Bottou's heuristic for <c>t0</c>.</summary>
    Optimal,

    /// <summary><c>eta = eta0</c>.</summary>
    Constant,

    /// <summary><c>eta = eta0 / t^power_t</c>.</summary>
    InvScaling,

    /// <summary><c>eta = eta0</c>, divided by 5 whenever the early-stopping score stops improving.</summary>
    Adaptive,
}

/// <summary>
/// Settings of one SGD binary classifier, as scikit-learn's <c>SGDClassifier</c> with <c>penalty='elasticnet'</c>;
/// the defaults are the ones the anchor fixes (<c>class_weight='balanced'</c>, <c>early_stopping=True</c>, seed 42).
/// </summary>
public sealed record SgdOptions
{
    public SgdLoss Loss { get; init; } = SgdLoss.Hinge;

    /// <summary>Regularization strength.</summary>
    public double Alpha { get; init; } = 1e-4;

    /// <summary>Share of L1 in the elastic-net penalty (0 = pure L2, 1 = pure L1).</summary>
    public double L1Ratio { get; init; } = 0.15;

    public LearningRateSchedule LearningRate { get; init; } = LearningRateSchedule.Optimal;

    public double Eta0 { get; init; }

    public double PowerT { get; init; } = 0.5;

    /// <summary>Weigh each class by n / (2 count(class)), so a rare label counts as much as its absence.</summary>
    public bool BalancedClassWeight { get; init; } = true;

    /// <summary>Hold out <see cref="ValidationFraction"/> of the training rows and stop when their accuracy stalls.</summary>
    public bool EarlyStopping { get; init; } = true;

    public double ValidationFraction { get; init; } = 0.1;

    public int IterationsWithoutChange { get; init; } = 5;

    public int MaxIterations { get; init; } = 1000;

    /// <summary>The improvement that counts as one; negative infinity never stops early.</summary>
    public double Tolerance { get; init; } = 1e-3;

    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Averaged SGD: from this step on (1 = from the start), the model is the average of all weight vectors
    /// visited, which smooths SGD's noise; 0 turns it off (the anchor's choice).
    /// </summary>
    public int AverageFrom { get; init; }

    public int Seed { get; init; } = 42;

    public void Validate()
    {
        static void Require(bool condition, string name, object value, string rule)
        {
            if (!condition)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
            }
        }

        Require(Alpha > 0 || LearningRate != LearningRateSchedule.Optimal, "alpha", Alpha, "must be positive with the optimal schedule");
        Require(Alpha >= 0 && double.IsFinite(Alpha), "alpha", Alpha, "must be a finite number >= 0");
        Require(L1Ratio is >= 0 and <= 1, "l1_ratio", L1Ratio, "must be between 0 and 1");
        Require(Eta0 > 0 || LearningRate == LearningRateSchedule.Optimal, "eta0", Eta0, "must be positive unless the schedule is optimal");
        Require(double.IsFinite(PowerT), "power_t", PowerT, "must be a finite number");
        Require(ValidationFraction is > 0 and < 1, "validation_fraction", ValidationFraction, "must be between 0 and 1");
        Require(IterationsWithoutChange >= 1, "n_iter_no_change", IterationsWithoutChange, "must be at least 1");
        Require(MaxIterations >= 1, "max_iter", MaxIterations, "must be at least 1");
        Require(AverageFrom >= 0, "average", AverageFrom, "must be false, true or a step count >= 1");
    }
}
