using TagOlym.Core.Learning;
using TagOlym.Core.Tests.Support;

namespace TagOlym.Core.Tests.Learning;

public sealed class TrainingArgsTests
{
    [Fact]
    public void The_anchors_optimized_arguments_load_unchanged()
    {
        var args = TrainingArgs.Parse("""
            {"nocommand": false, "stem": true, "ngram_max": 4, "loss": "log_loss", "l1_ratio": 0.02541912674409519,
             "alpha": 2.1070472806578224e-05, "learning_rate": "invscaling", "eta0": 0.7568292060167615,
             "power_t": 0.4579309401710595, "threshold": [0.59, 0.79]}
            """);

        args.Preprocess.Stem.Should().BeTrue();
        args.Tfidf.NgramMax.Should().Be(4);
        args.Sgd.Loss.Should().Be(SgdLoss.LogLoss);
        args.Sgd.LearningRate.Should().Be(LearningRateSchedule.InvScaling);
        args.Sgd.Alpha.Should().Be(2.1070472806578224e-05);
        args.Sgd.BalancedClassWeight.Should().BeTrue("the anchor fixes class_weight='balanced'");
        args.Sgd.EarlyStopping.Should().BeTrue();
    }

    [Fact]
    public void The_anchors_aliases_are_accepted()
    {
        var args = TrainingArgs.Parse("""{"ngram_max_range": 3, "loss": "log", "learning_rate": "optimal", "alpha": 0.0001}""");

        args.Tfidf.NgramMax.Should().Be(3);
        args.Sgd.Loss.Should().Be(SgdLoss.LogLoss);
    }

    [Theory]
    [InlineData("""{"losss": "hinge"}""", "*unknown key \"losss\"*")]
    [InlineData("""{"loss": "squared"}""", "*loss \"squared\"*")]
    [InlineData("""{"alpha": "small"}""", "*\"alpha\"*wrong type*")]
    [InlineData("""{"ngram_max": 7}""", "*ngram_max*")]
    [InlineData("""{"l1_ratio": 2}""", "*l1_ratio*")]
    [InlineData("""[1, 2]""", "*JSON object*")]
    [InlineData("""{"loss": """, "*not valid JSON*")]
    public void Bad_arguments_are_refused_with_the_key_named(string json, string message)
    {
        var parse = () => TrainingArgs.Parse(json, "args.json");
        parse.Should().Throw<TrainingArgsException>().WithMessage(message);
    }

    [Fact]
    public void Arguments_round_trip_through_their_json_form()
    {
        var args = TrainingArgs.Parse("""{"ngram_max": 2, "min_df": 2, "sublinear_tf": true, "loss": "modified_huber", "class_weight": null, "min_precision": 0.5}""");

        TrainingArgs.Parse(args.ToJson().ToJsonString()).Should().Be(args);
    }

    [Fact]
    public void The_ensemble_keys_round_trip_and_default_to_the_anchors_single_learner()
    {
        var ensemble = TrainingArgs.Load(SharedData.RepositoryPath("config", "args_best.json"));

        ensemble.Members.Should().Be(EnsembleMembers.Sgd | EnsembleMembers.NbLogistic | EnsembleMembers.Subtag);
        ensemble.UseStage.Should().BeTrue();
        ensemble.TitleBlockWeight.Should().Be(0.5);
        ensemble.Combines.Should().BeTrue();
        TrainingArgs.Parse(ensemble.ToJson().ToJsonString()).Should().Be(ensemble);
        ensemble.ToJson()["members"]!.ToJsonString().Should().Be("""["sgd","nb","subtag"]""");

        var anchor = TrainingArgs.Load(SharedData.RepositoryPath("config", "args_opt.json"));
        (anchor.Members, anchor.UseStage, anchor.TitleBlockWeight, anchor.Combines).Should().Be((EnsembleMembers.Sgd, false, 0.0, false));
    }

    [Theory]
    [InlineData("""{"members": []}""", "*members*")]
    [InlineData("""{"members": ["sgd", "forest"]}""", "*members*sgd, nb*")]
    [InlineData("""{"stage": "lightgbm"}""", "*stage*none, fasttree*")]
    [InlineData("""{"stage_folds": 1}""", "*stage_folds*")]
    [InlineData("""{"stage_leaves": 128}""", "*stage_leaves 2..64*")]
    [InlineData("""{"stage_learning_rate": 0}""", "*stage_learning_rate*")]
    [InlineData("""{"title_block_weight": -0.5}""", "*title_block_weight*")]
    [InlineData("""{"nb_c": 0}""", "*nb_c*")]
    public void Bad_ensemble_keys_are_refused_naming_the_key(string json, string message)
    {
        var act = () => TrainingArgs.Parse(json, "args.json");

        act.Should().Throw<TrainingArgsException>().WithMessage("args.json: " + message);
    }

    [Fact]
    public void The_shipped_argument_files_load()
    {
        TrainingArgs.Load(SharedData.RepositoryPath("config", "args.json")).Sgd.Loss.Should().Be(SgdLoss.Hinge);
        TrainingArgs.Load(SharedData.RepositoryPath("config", "args_opt.json")).Tfidf.NgramMax.Should().Be(4);
        TrainingArgs.Load(SharedData.RepositoryPath("config", "args_best.json")).Should().NotBeNull();
        TrainingArgs.Load(SharedData.RepositoryPath("config", "args_fast.json")).Combines.Should().BeFalse();
    }
}
