using TagOlym.Core.Features;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;
using TagOlym.Core.Models;

namespace TagOlym.Core.Tests.Learning;

public sealed class SubtagTests
{
    [Fact]
    public void Classes_are_the_frequent_tags_of_each_label_plus_a_residual_class_of_its_other_posts()
    {
        var taxonomy = Taxonomy.Default;
        var labels = taxonomy.Labels;
        string[][] tags =
        [
            ["euclidean geometry"], ["euclidean geometry", "analytic geometry"], ["analytic geometry"], ["euclidean geometry"],
            ["analytic number theory"], ["elementary number theory"], ["elementary number theory"],
        ];
        var truth = labels.ToMatrix([.. tags.Select(taxonomy.MapTags)]);

        var classes = SubtagClasses.Build(tags, truth, taxonomy, minPosts: 2);

        // geometry: "analytic geometry" (2 posts), "euclidean geometry" (3); number theory: "elementary number theory" (2),
        // in label order, then one residual class per label
        var named = classes.ClassNames.Zip(classes.ClassLabels, (n, l) => $"{n}/{labels.Names[l]}").ToArray();
        named.Should().Equal(
            [
                "analytic geometry/geometry", "euclidean geometry/geometry", "elementary number theory/number theory",
                .. labels.Names.Select(n => $"other/{n}"),
            ]);
        var other = (string label) => 3 + labels.IndexOf(label);
        classes.Truth[0, 1].Should().BeTrue();
        classes.Truth[1, 0].Should().BeTrue();
        classes.Truth[1, 1].Should().BeTrue();
        classes.Truth[1, other("geometry")].Should().BeFalse("a post with a frequent geometry tag is not in geometry's residual class");
        classes.Truth[4, other("number theory")].Should().BeTrue("\"analytic number theory\" is too rare to be a class");
        classes.Truth[5, 2].Should().BeTrue();
        Enumerable.Range(0, truth.Rows).Should().OnlyContain(r =>
            Enumerable.Range(0, labels.Count).All(l => truth[r, l] == Enumerable.Range(0, classes.ClassLabels.Length).Any(c => classes.ClassLabels[c] == l && classes.Truth[r, c])),
            "a post has a label exactly when it is in one of the label's classes");
    }

    [Fact]
    public void A_labels_score_is_the_largest_margin_of_its_classes()
    {
        // three classes over two features: classes 0 and 1 score label 1, class 2 scores label 0
        var model = new LinearModel(SgdLoss.Hinge, 2, [0, 1], [1f, -2f, 0.5f, 0f, 3f, 1f], [0.1, 0.2, 0.3]);
        var member = new SubtagMember(model, [1, 1, 0], ["a", "b", "other"], labelCount: 2);
        var scores = new double[2];

        member.Score(new SparseRow([0, 1], [1f, 2f]), scores);

        // margins: class 0 = 1 + 0 + 0.1, class 1 = -2 + 6 + 0.2, class 2 = 0.5 + 2 + 0.3
        scores[1].Should().BeApproximately(4.2, 1e-6);
        scores[0].Should().BeApproximately(2.8, 1e-6);
    }

    [Fact]
    public void Keeping_the_strongest_features_stores_only_them_and_leaves_their_weights_unchanged()
    {
        var model = new LinearModel(SgdLoss.Hinge, 4, [0, 1, 2, 3], [0.1f, -0.2f, 3f, 0f, 0f, -0.05f, -4f, 1f], [0.5, -0.5]);

        var kept = model.KeepStrongest(2);

        kept.StoredFeatureCount.Should().Be(2);
        Enumerable.Range(0, 4).Select(f => (kept.Weight(f, 0), kept.Weight(f, 1))).Should().Equal((0.0, 0.0), (3.0, 0.0), (0.0, 0.0), (-4.0, 1.0));
        kept.Intercept(1).Should().Be(-0.5);
        model.KeepStrongest(10).Should().BeSameAs(model);
    }
}
