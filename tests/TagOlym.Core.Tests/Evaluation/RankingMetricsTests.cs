using TagOlym.Core.Evaluation;

namespace TagOlym.Core.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    [Fact]
    public void Lrap_is_scikit_learns_documented_example()
    {
        // label_ranking_average_precision_score's docstring: 0.416...; by hand: post 1's true label ranks 2nd (1/2),
        // post 2's ranks 3rd (1/3)
        var lrap = RankingMetrics.LabelRankingAveragePrecision(Matrices.Of("100", "001"), [[0.75, 0.5, 1], [1, 0.2, 0.1]]);

        lrap.Should().BeApproximately(5.0 / 12, 1e-15);
    }

    [Fact]
    public void Lrap_counts_ties_at_the_worst_rank_and_posts_with_no_or_all_labels_as_one()
    {
        // three labels scored alike, two true: each true label ranks 3rd with 2 true at or above it -> 2/3
        RankingMetrics.LabelRankingAveragePrecision(Matrices.Of("110"), [[0.5, 0.5, 0.5]]).Should().BeApproximately(2.0 / 3, 1e-15);

        // scikit-learn counts a post whose labels are all false, or all true, as 1 whatever the scores
        RankingMetrics.LabelRankingAveragePrecision(Matrices.Of("000", "111"), [[0.9, 0.1, 0.5], [0.1, 0.2, 0.3]]).Should().Be(1);
    }

    [Fact]
    public void Lrap_equals_scikit_learn_on_posts_with_ties_negative_scores_and_empty_rows()
    {
        var truth = Matrices.Of("1001", "0010", "1100", "0000", "1111", "0101");
        double[][] scores =
        [
            [0.9, 0.2, 0.5, 0.5], [0.1, 0.3, 0.3, 0.7], [0.4, 0.4, 0.4, 0.1],
            [0.2, 0.8, 0.1, 0.3], [0.5, 0.6, 0.7, 0.8], [-1.2, 0.3, 0.3, -0.4],
        ];

        // scikit-learn 1.2.1: label_ranking_average_precision_score(truth, scores) = 0.736111111111111
        RankingMetrics.LabelRankingAveragePrecision(truth, scores).Should().BeApproximately(0.736111111111111, 1e-15);
    }

    [Fact]
    public void Precision_and_ndcg_at_k_match_hand_counts_and_scikit_learns_ndcg()
    {
        var truth = Matrices.Of("1001", "0010", "1100", "0101", "0001");
        double[][] scores =
        [
            [0.9, 0.2, 0.5, 0.4], [0.1, 0.35, 0.3, 0.7], [0.45, 0.4, 0.5, 0.1],
            [-1.2, 0.3, 0.25, -0.4], [0.1, 0.2, 0.3, 0.4],
        ];

        // top label true for posts 0, 3, 4 -> 3/5; hits in the top 3: 2, 1, 2, 2, 1 -> (8/3)/5
        RankingMetrics.PrecisionAtK(truth, scores, 1).Should().BeApproximately(0.6, 1e-15);
        RankingMetrics.PrecisionAtK(truth, scores, 3).Should().BeApproximately(8.0 / 15, 1e-15);

        // scikit-learn 1.2.1 (every post has a true label, no ties, so the definitions agree):
        // ndcg_score(truth, scores, k=3) = 0.8065735963827294, k=1 = 0.6, LRAP = 0.7166666666666666
        RankingMetrics.NdcgAtK(truth, scores, 3).Should().BeApproximately(0.8065735963827294, 1e-15);
        RankingMetrics.NdcgAtK(truth, scores, 1).Should().BeApproximately(0.6, 1e-15);
        var all = RankingMetrics.Of(truth, scores);
        all.Should().Be(new RankingMetrics(all.PrecisionAt1, all.PrecisionAt3, all.NdcgAt3, all.Lrap, 5, 5));
        all.Lrap.Should().BeApproximately(0.7166666666666666, 1e-15);
    }

    [Fact]
    public void Posts_without_a_true_label_are_left_out_of_precision_and_ndcg_but_not_of_lrap()
    {
        var truth = Matrices.Of("10", "00");
        double[][] scores = [[0.9, 0.1], [0.9, 0.1]];

        var metrics = RankingMetrics.Of(truth, scores);

        metrics.PrecisionAt1.Should().Be(1);
        metrics.NdcgAt3.Should().Be(1);
        metrics.PrecisionAt3.Should().BeApproximately(1.0 / 3, 1e-15, "precision@3 divides by 3 even with two labels");
        metrics.RankedPosts.Should().Be(1);
        metrics.Posts.Should().Be(2);
        metrics.Lrap.Should().Be(1);
    }

    [Fact]
    public void A_perfect_ranking_scores_one_and_a_reversed_one_less()
    {
        var truth = Matrices.Of("1100", "0011");
        double[][] perfect = [[0.9, 0.8, 0.2, 0.1], [0.1, 0.2, 0.8, 0.9]];
        double[][] reversed = [[0.1, 0.2, 0.8, 0.9], [0.9, 0.8, 0.2, 0.1]];

        RankingMetrics.Of(truth, perfect).Should().Be(new RankingMetrics(1, 2.0 / 3, 1, 1, 2, 2));
        var worst = RankingMetrics.Of(truth, reversed);
        worst.PrecisionAt1.Should().Be(0);
        worst.NdcgAt3.Should().BeLessThan(0.5);
        worst.Lrap.Should().BeApproximately(((1.0 / 3) + (2.0 / 4)) / 2, 1e-15);
    }

    [Fact]
    public void Scores_of_the_wrong_shape_are_refused()
    {
        var act = () => RankingMetrics.Of(Matrices.Of("10", "01"), [[0.5, 0.5]]);
        var wide = () => RankingMetrics.Of(Matrices.Of("10"), [[0.5, 0.5, 0.5]]);

        act.Should().Throw<ArgumentException>().WithMessage("*1 score rows for 2 posts*");
        wide.Should().Throw<ArgumentException>().WithMessage("*3 values for 2 labels*");
    }
}
