using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

public sealed class LossFunctionsTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(2.0, 0.8807970779778823)]
    [InlineData(-2.0, 0.11920292202211755)]
    public void Log_loss_score_is_the_sigmoid_of_the_margin(double margin, double expected) =>
        LossFunctions.Score(SgdLoss.LogLoss, margin).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(-3.0, 0.0)]
    [InlineData(-1.0, 0.0)]
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 0.75)]
    [InlineData(7.0, 1.0)]
    public void Modified_huber_score_is_the_clipped_margin_mapped_to_zero_one(double margin, double expected) =>
        LossFunctions.Score(SgdLoss.ModifiedHuber, margin).Should().Be(expected);

    [Fact]
    public void Hinge_score_is_the_margin() => LossFunctions.Score(SgdLoss.Hinge, -1.25).Should().Be(-1.25);

    [Theory]
    [InlineData(SgdLoss.Hinge, 0.5, 1.0, -1.0)]
    [InlineData(SgdLoss.Hinge, 1.5, 1.0, 0.0)]
    [InlineData(SgdLoss.Hinge, 0.5, -1.0, 1.0)]
    [InlineData(SgdLoss.LogLoss, 0.0, 1.0, -0.5)]
    [InlineData(SgdLoss.ModifiedHuber, 0.0, 1.0, -2.0)]
    [InlineData(SgdLoss.ModifiedHuber, -2.0, 1.0, -4.0)]
    [InlineData(SgdLoss.ModifiedHuber, 2.0, 1.0, 0.0)]
    public void Derivatives_match_the_loss_definitions(SgdLoss loss, double p, double y, double expected) =>
        LossFunctions.Derivative(loss, p, y).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void Log_loss_derivative_is_stable_far_from_zero()
    {
        LossFunctions.Derivative(SgdLoss.LogLoss, 50, 1).Should().BeApproximately(-Math.Exp(-50), 1e-30);
        LossFunctions.Derivative(SgdLoss.LogLoss, -50, 1).Should().Be(-1);
    }
}
