namespace TagOlym.Core.Learning;

/// <summary>Derivatives of the losses with respect to the margin, and the mapping from margin to score.</summary>
public static class LossFunctions
{
    // scikit-learn clips the derivative so that one wild step cannot blow the weights up
    private const double MaxDerivative = 1e12;

    /// <summary>d loss(p, y) / d p for the label <paramref name="y"/> in {-1, +1}.</summary>
    public static double Derivative(SgdLoss loss, double p, double y)
    {
        var z = p * y;
        var derivative = loss switch
        {
            SgdLoss.Hinge => z <= 1 ? -y : 0,
            SgdLoss.LogLoss => z > 18 ? -y * Math.Exp(-z) : z < -18 ? -y : -y / (Math.Exp(z) + 1),
            SgdLoss.ModifiedHuber => z >= 1 ? 0 : z >= -1 ? -2 * (1 - z) * y : -4 * y,
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
        };
        return Math.Clamp(derivative, -MaxDerivative, MaxDerivative);
    }

    /// <summary>loss(p, y) for the label <paramref name="y"/> in {-1, +1}.</summary>
    public static double Value(SgdLoss loss, double p, double y)
    {
        var z = p * y;
        return loss switch
        {
            SgdLoss.Hinge => Math.Max(0, 1 - z),
            SgdLoss.LogLoss => z > 18 ? Math.Exp(-z) : z < -18 ? -z : Math.Log(1 + Math.Exp(-z)),
            SgdLoss.ModifiedHuber => z >= 1 ? 0 : z >= -1 ? (1 - z) * (1 - z) : -4 * z,
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
        };
    }

    /// <summary>The score a label gets from its margin: a probability, or the margin itself for hinge.</summary>
    public static double Score(SgdLoss loss, double margin) => loss switch
    {
        SgdLoss.Hinge => margin,
        SgdLoss.LogLoss => 1 / (1 + Math.Exp(-margin)),
        SgdLoss.ModifiedHuber => (Math.Clamp(margin, -1, 1) + 1) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };
}
