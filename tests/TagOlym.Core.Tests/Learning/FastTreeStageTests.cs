using Microsoft.ML;
using Microsoft.ML.Data;
using TagOlym.Core.Labels;
using TagOlym.Core.Learning;

namespace TagOlym.Core.Tests.Learning;

public sealed class FastTreeStageTests
{
    /// <summary>Label 0 is on when features 0 and 1 agree in sign (no linear rule finds it); label 1 when feature 2 is high.</summary>
    private static (float[][] Features, LabelMatrix Truth) Interaction(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count][];
        var truth = new LabelMatrix(count, 2);
        for (var i = 0; i < count; i++)
        {
            features[i] = [(float)((random.NextDouble() * 2) - 1), (float)((random.NextDouble() * 2) - 1), (float)random.NextDouble()];
            truth[i, 0] = features[i][0] * features[i][1] > 0;
            truth[i, 1] = features[i][2] > 0.7;
        }

        return (features, truth);
    }

    private static readonly FastTreeStageOptions Small = new(Trees: 30, Leaves: 8, MinLeafRows: 5, LearningRate: 0.2);

    [Fact]
    public void It_learns_an_interaction_that_a_linear_combiner_cannot()
    {
        var (features, truth) = Interaction(1500, seed: 1);
        var (test, testTruth) = Interaction(500, seed: 2);

        var stage = FastTreeStage.Train(features, truth, Small);

        var correct = Enumerable.Range(0, test.Length).Count(i => (stage.Score(0, test[i]) > 0) == testTruth[i, 0]);
        ((double)correct / test.Length).Should().BeGreaterThan(0.9);
        stage.Covers(1).Should().BeTrue();
    }

    [Theory]
    [InlineData(30, 8)]
    [InlineData(300, 64)]
    public void The_extracted_trees_score_exactly_as_ML_NET_does(int trees, int leaves)
    {
        var (features, truth) = Interaction(800, seed: 3);
        var stage = FastTreeStage.Train(features, truth, Small with { Trees = trees, Leaves = leaves });

        // posts the trees never saw, some with a missing (NaN) feature, which goes right at every split
        var (unseen, _) = Interaction(400, seed: 4);
        for (var i = 0; i < unseen.Length; i += 7)
        {
            unseen[i][i % 3] = float.NaN;
        }

        features = [.. features, .. unseen];

        var context = new MLContext();
        using var stream = new MemoryStream(stage.Models[0]!);
        var transformer = context.Model.Load(stream, out _);
        var schema = SchemaDefinition.Create(typeof(Input));
        schema[nameof(Input.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        var scored = transformer.Transform(context.Data.LoadFromEnumerable(features.Select(f => new Input { Features = f }), schema));
        var mlNetScores = scored.GetColumn<float>("Score").ToArray();

        for (var i = 0; i < features.Length; i++)
        {
            // ML.NET sums in double and hands out a float
            ((float)stage.Score(0, features[i])).Should().Be(mlNetScores[i]);
        }
    }

    [Fact]
    public void A_stage_loaded_from_its_saved_models_scores_bit_identically()
    {
        var (features, truth) = Interaction(600, seed: 4);
        var stage = FastTreeStage.Train(features, truth, Small, labelsToTrain: [true, false]);

        var loaded = FastTreeStage.Load(3, stage.Models.Select(m => m?.ToArray()).ToArray());

        loaded.Covers(1).Should().BeFalse();
        foreach (var row in features)
        {
            loaded.Score(0, row).Should().Be(stage.Score(0, row));
        }
    }

    [Fact]
    public void Training_twice_gives_the_same_trees()
    {
        var (features, truth) = Interaction(400, seed: 5);

        var first = FastTreeStage.Train(features, truth, Small);
        var second = FastTreeStage.Train(features, truth, Small);

        foreach (var row in features)
        {
            second.Score(0, row).Should().Be(first.Score(0, row));
        }
    }

    [Fact]
    public void A_corrupt_model_is_refused_with_a_clear_error()
    {
        var (features, truth) = Interaction(300, seed: 6);
        var models = FastTreeStage.Train(features, truth, Small).Models.Select(m => m!.ToArray()).ToArray();
        models[1][models[1].Length / 2] ^= 0xFF;
        models[1][(models[1].Length / 2) + 1] ^= 0xFF;

        var act = () => FastTreeStage.Load(3, models);

        act.Should().Throw<InvalidDataException>().WithMessage("*second stage*label 1*");
        var garbage = () => FastTreeStage.Load(3, [[1, 2, 3], null]);
        garbage.Should().Throw<InvalidDataException>().WithMessage("*label 0*not a readable ML.NET model*");
    }

    [Fact]
    public void A_stage_section_written_and_read_scores_bit_identically()
    {
        var (features, truth) = Interaction(500, seed: 8);
        var stage = FastTreeStage.Train(features, truth, Small, labelsToTrain: [false, true]);
        using var stream = new MemoryStream();
        stage.Write(new BinaryWriter(stream));
        stream.Position = 0;

        var read = FastTreeStage.Read(new BinaryReader(stream));

        read.Covers(0).Should().BeFalse();
        read.FeatureCount.Should().Be(3);
        foreach (var row in features)
        {
            read.Score(1, row).Should().Be(stage.Score(1, row));
        }
    }

    [Fact]
    public void A_stage_section_cut_short_is_refused()
    {
        var (features, truth) = Interaction(300, seed: 9);
        using var stream = new MemoryStream();
        FastTreeStage.Train(features, truth, Small).Write(new BinaryWriter(stream));
        var cut = stream.ToArray()[..(int)(stream.Length / 2)];

        var act = () => FastTreeStage.Read(new BinaryReader(new MemoryStream(cut)));

        act.Should().Throw<InvalidDataException>().WithMessage("*second stage*");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65)]
    public void Trees_of_fewer_than_2_or_more_than_64_leaves_are_refused_by_name(int leaves)
    {
        var act = () => (Small with { Leaves = leaves }).Validate();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*stage_leaves*");
    }

    [Fact]
    public void A_model_that_reads_more_features_than_given_is_refused()
    {
        var (features, truth) = Interaction(300, seed: 7);
        var stage = FastTreeStage.Train(features, truth, Small);

        var act = () => FastTreeStage.Load(1, stage.Models);

        act.Should().Throw<InvalidDataException>().WithMessage("*beyond the 1*");
    }

    private sealed class Input
    {
        public float[] Features { get; set; } = [];
    }
}
